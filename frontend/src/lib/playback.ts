/** A stretch of the video the player really played, with the wall-clock time it took. */
export interface Segment {
  start: number;
  end: number;
  wallSeconds: number;
}

/** A jump larger than this between two time updates, beyond what 2× playback explains, is a seek. */
const MAX_RATE = 2;
const SLACK_SECONDS = 0.75;

/**
 * Turns a video element's events into the segments actually played. Every seek (and every
 * implausible jump) ends a segment, so skipping ahead never reads as watching; Go decides
 * what counts.
 */
export class PlaybackTracker {
  private open: { start: number; last: number; wallStart: number; wallLast: number } | null = null;
  private closed: Segment[] = [];

  constructor(private readonly now: () => number = () => performance.now() / 1000) {}

  /** Playback started or resumed at media time t. */
  play(t: number): void {
    this.close();
    const w = this.now();
    this.open = { start: t, last: t, wallStart: w, wallLast: w };
  }

  /** A time update while playing. */
  update(t: number): void {
    const seg = this.open;
    if (!seg) return;
    const w = this.now();
    const mediaStep = t - seg.last;
    const wallStep = w - seg.wallLast;
    if (mediaStep < 0 || mediaStep > wallStep * MAX_RATE + SLACK_SECONDS) {
      // A jump the clock can't explain: close what was played, restart here.
      this.close();
      this.open = { start: t, last: t, wallStart: w, wallLast: w };
      return;
    }
    seg.last = t;
    seg.wallLast = w;
  }

  /** Seeking, pausing or ending: the current segment ends where it last was. */
  stop(): void {
    this.close();
  }

  /** Whether a segment is open (the video is playing). */
  get playing(): boolean {
    return this.open !== null;
  }

  /**
   * Takes everything played since the last take: closed segments, and the open one up to
   * now (which then continues from there).
   */
  take(): Segment[] {
    const out = this.closed;
    this.closed = [];
    const seg = this.open;
    if (seg && seg.last > seg.start) {
      out.push({ start: seg.start, end: seg.last, wallSeconds: seg.wallLast - seg.wallStart });
      seg.start = seg.last;
      seg.wallStart = seg.wallLast;
    }
    return out;
  }

  private close(): void {
    const seg = this.open;
    this.open = null;
    if (seg && seg.last > seg.start) {
      this.closed.push({ start: seg.start, end: seg.last, wallSeconds: seg.wallLast - seg.wallStart });
    }
  }
}

/** "1:05", "12:00" */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
