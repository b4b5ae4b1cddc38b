/** A stretch of the video, in seconds, as the transcript's sentences carry it. */
export interface Timed {
  start: number;
  end: number;
}

/** Which sentence of which section. */
export interface Place {
  section: number;
  sentence: number;
}

/**
 * The sentence being said at media time t, or null where none is: before the first, in the
 * pause after each slide, after the last. A sentence ends where the next begins, so the later
 * one wins at the boundary.
 */
export function sentenceAt(sections: readonly { sentences: readonly Timed[] }[], t: number): Place | null {
  let found: Place | null = null;
  let end = -Infinity;
  for (const [section, s] of sections.entries()) {
    for (const [sentence, x] of s.sentences.entries()) {
      if (t >= x.start) [found, end] = [{ section, sentence }, x.end];
    }
  }
  return t < end ? found : null;
}
