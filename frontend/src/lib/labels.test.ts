import { describe, expect, it } from 'vitest';
import { greetingName, listJoin, progressText, statusLabel } from './labels';

describe('labels', () => {
  it('names each status in plain words', () => {
    expect(statusLabel('done')).toBe('Done');
    expect(statusLabel('locked')).toBe('Locked');
    expect(statusLabel('available')).toBe('To do');
    expect(statusLabel('other')).toBe('other');
  });
  it('counts progress', () => {
    expect(progressText(3, 11)).toBe('3 of 11 items done');
    expect(progressText(0, 1)).toBe('0 of 1 item done');
  });
  it('greets by the first name in any script', () => {
    expect(greetingName('  Zoë Łukasiewicz ')).toBe('Zoë');
    expect(greetingName('王芳')).toBe('王芳');
    expect(greetingName('')).toBe('');
  });
  it('joins a list in plain English', () => {
    expect(listJoin([])).toBe('');
    expect(listJoin(['a'])).toBe('a');
    expect(listJoin(['a', 'b'])).toBe('a and b');
    expect(listJoin(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
