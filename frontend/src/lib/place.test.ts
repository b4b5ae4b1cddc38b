import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PlaceTracker } from './place';

describe('PlaceTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the field focus settles on, once, after the pause', () => {
    const sent: string[] = [];
    const p = new PlaceTracker((f) => sent.push(f));
    p.focused('phone');
    p.focused('bio'); // within the pause: only bio is sent
    vi.advanceTimersByTime(299);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['bio']);
    p.focused('bio'); // focus back in the same field is not a move
    p.focused('');
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['bio']);
  });

  it('does not write the field the form reopened at', () => {
    const sent: string[] = [];
    const p = new PlaceTracker((f) => sent.push(f), 'bio');
    p.focused('bio');
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([]);
    p.focused('phone');
    vi.advanceTimersByTime(300);
    expect(sent).toEqual(['phone']);
  });

  it('keeps a pending move when focus passes through a non-field, and drops it on cancel', () => {
    const sent: string[] = [];
    const p = new PlaceTracker((f) => sent.push(f));
    p.focused('phone');
    p.focused('');
    p.focused('phone');
    vi.advanceTimersByTime(300);
    expect(sent).toEqual(['phone']);
    p.focused('bio');
    p.cancel();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['phone']);
  });
});
