import { describe, expect, it } from 'vitest';
import { toProblem } from './problem';

describe('toProblem', () => {
  it('decodes the JSON problem the Go side sends', () => {
    const p = toProblem('{"code":"not-checklist","message":"This item is ticked automatically."}');
    expect(p).toEqual({ code: 'not-checklist', message: 'This item is ticked automatically.' });
  });

  it('keeps the field a problem concerns', () => {
    expect(toProblem(new Error('{"code":"invalid","field":"email","message":"Bad email."}')).field).toBe('email');
  });

  it('wraps a non-JSON error in a safe, plain message', () => {
    const p = toProblem('runtime: connection lost');
    expect(p.code).toBe('internal');
    expect(p.message).toContain('Your saved work is safe');
    expect(p.message).toContain('connection lost');
  });

  it('handles nothing at all', () => {
    expect(toProblem(undefined).code).toBe('internal');
    expect(toProblem({}).code).toBe('internal');
  });
});
