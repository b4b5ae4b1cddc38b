import { describe, expect, it } from 'vitest';
import { greeting, listJoin, progressText, statusLabel } from './labels';

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
  // The old rule took the legal name's first word: "Welcome, Nguyễn" (the family name).
  it('greets by the name Go gives, whatever the name shape', () => {
    expect(greeting(false, { greeting: 'An' })).toBe('Welcome, An');
    expect(greeting(false, { greeting: 'Nguyễn Văn An' })).toBe('Welcome, Nguyễn Văn An');
    expect(greeting(false, { greeting: '王芳' })).toBe('Welcome, 王芳');
    expect(greeting(false, { greeting: 'María José' })).toBe('Welcome, María José');
    expect(greeting(false, { greeting: ' ' })).toBe('Welcome');
    expect(greeting(false, undefined)).toBe('Welcome');
    expect(greeting(true, { greeting: 'An' })).toBe('Onboarding complete');
  });
  it('joins a list in plain English', () => {
    expect(listJoin([])).toBe('');
    expect(listJoin(['a'])).toBe('a');
    expect(listJoin(['a', 'b'])).toBe('a and b');
    expect(listJoin(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
