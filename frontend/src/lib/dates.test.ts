import { describe, expect, it } from 'vitest';
import { daysBetween, longDate, relativeDays, shortDate } from './dates';

describe('dates', () => {
  it('writes calendar dates without shifting them by a time zone', () => {
    expect(longDate('2026-11-27')).toBe('Friday, November 27, 2026');
    expect(longDate('2024-02-29')).toBe('Thursday, February 29, 2024');
    expect(shortDate('2027-01-01')).toBe('Jan 1, 2027');
  });

  it('passes through anything that is not a date', () => {
    expect(longDate('')).toBe('');
    expect(shortDate('soon')).toBe('soon');
  });

  it('counts days across months, leap days and years', () => {
    expect(daysBetween('2026-10-05', '2026-11-19')).toBe(45);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-11-27', '2026-11-20')).toBe(-7);
  });

  it('says relative days in words', () => {
    expect(relativeDays(0)).toBe('today');
    expect(relativeDays(1)).toBe('tomorrow');
    expect(relativeDays(-1)).toBe('yesterday');
    expect(relativeDays(12)).toBe('in 12 days');
    expect(relativeDays(-3)).toBe('3 days ago');
  });
});
