import { describe, expect, it } from 'vitest';
import { sentenceAt } from './transcript';

const sections = [
  { sentences: [{ start: 0, end: 3.1 }, { start: 3.1, end: 8.3 }] },
  { sentences: [] },
  { sentences: [{ start: 10, end: 12.5 }] },
];

describe('sentenceAt', () => {
  it('finds the sentence being said', () => {
    expect(sentenceAt(sections, 0)).toEqual({ section: 0, sentence: 0 });
    expect(sentenceAt(sections, 3)).toEqual({ section: 0, sentence: 0 });
    expect(sentenceAt(sections, 11)).toEqual({ section: 2, sentence: 0 });
  });

  it('gives the later sentence where one ends and the next begins', () => {
    expect(sentenceAt(sections, 3.1)).toEqual({ section: 0, sentence: 1 });
  });

  it('finds none in the pause after a slide, after the last, before the first or with no sentences', () => {
    expect(sentenceAt(sections, 8.3)).toBeNull();
    expect(sentenceAt(sections, 9.99)).toBeNull();
    expect(sentenceAt(sections, 12.5)).toBeNull();
    expect(sentenceAt([{ sentences: [{ start: 1, end: 2 }] }], 0.5)).toBeNull();
    expect(sentenceAt([], 1)).toBeNull();
  });
});
