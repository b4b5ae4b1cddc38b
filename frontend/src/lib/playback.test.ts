import { describe, expect, it } from 'vitest';
import { PlaybackTracker, clock } from './playback';

function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (s: number) => (t += s) };
}

describe('PlaybackTracker', () => {
  it('records a stretch played at normal speed', () => {
    const c = fakeClock();
    const p = new PlaybackTracker(c.now);
    p.play(0);
    for (let i = 1; i <= 20; i++) {
      c.advance(0.25);
      p.update(i * 0.25);
    }
    p.stop();
    expect(p.take()).toEqual([{ start: 0, end: 5, wallSeconds: 5 }]);
  });

  it('breaks the segment on a seek, so the jump is never counted', () => {
    const c = fakeClock();
    const p = new PlaybackTracker(c.now);
    p.play(0);
    c.advance(2);
    p.update(2);
    p.stop(); // the seeking event
    p.play(170); // playing resumes near the end
    c.advance(1);
    p.update(171);
    p.stop();
    expect(p.take()).toEqual([
      { start: 0, end: 2, wallSeconds: 2 },
      { start: 170, end: 171, wallSeconds: 1 },
    ]);
  });

  it('treats a jump without a seek event as a seek', () => {
    const c = fakeClock();
    const p = new PlaybackTracker(c.now);
    p.play(0);
    c.advance(1);
    p.update(1);
    c.advance(0.25);
    p.update(90); // 89 s of media in a quarter second
    c.advance(1);
    p.update(91);
    p.stop();
    expect(p.take()).toEqual([
      { start: 0, end: 1, wallSeconds: 1 },
      { start: 90, end: 91, wallSeconds: 1 },
    ]);
  });

  it('accepts double speed', () => {
    const c = fakeClock();
    const p = new PlaybackTracker(c.now);
    p.play(10);
    for (let i = 1; i <= 8; i++) {
      c.advance(0.25);
      p.update(10 + i * 0.5);
    }
    expect(p.take()).toEqual([{ start: 10, end: 14, wallSeconds: 2 }]);
  });

  it('reports the open segment and continues from where it left off', () => {
    const c = fakeClock();
    const p = new PlaybackTracker(c.now);
    p.play(0);
    c.advance(5);
    p.update(5);
    expect(p.take()).toEqual([{ start: 0, end: 5, wallSeconds: 5 }]);
    c.advance(5);
    p.update(10);
    expect(p.take()).toEqual([{ start: 5, end: 10, wallSeconds: 5 }]);
    expect(p.take()).toEqual([]);
    expect(p.playing).toBe(true);
  });

  it('ignores updates while paused, and going backwards starts a new segment', () => {
    const c = fakeClock();
    const p = new PlaybackTracker(c.now);
    p.update(50);
    expect(p.take()).toEqual([]);
    p.play(30);
    c.advance(1);
    p.update(31);
    c.advance(0.25);
    p.update(10);
    c.advance(1);
    p.update(11);
    p.stop();
    expect(p.take()).toEqual([
      { start: 30, end: 31, wallSeconds: 1 },
      { start: 10, end: 11, wallSeconds: 1 },
    ]);
  });
});

describe('clock', () => {
  it('writes minutes and seconds', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65.9)).toBe('1:05');
    expect(clock(720)).toBe('12:00');
    expect(clock(-3)).toBe('0:00');
  });
});
