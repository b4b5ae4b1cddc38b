import { describe, expect, it, vi } from 'vitest';
import { flushAll, flushOnClose, inputQuiet, watchInput } from './closing';

describe('flush on close', () => {
  it('runs every registered flush, even when one fails, and none once unregistered', async () => {
    const ran: string[] = [];
    const offA = flushOnClose(async () => {
      await new Promise((r) => setTimeout(r, 5));
      ran.push('a');
    });
    const offB = flushOnClose(async () => {
      ran.push('b');
      throw new Error('disk full');
    });
    await flushAll();
    expect(ran.sort()).toEqual(['a', 'b']);
    offA();
    offB();
    ran.length = 0;
    await flushAll();
    expect(ran).toEqual([]);
  });

  it('waits for keystrokes still arriving before it lets the window close', async () => {
    // A fake clock: what is checked is how long the app waits, not how
    // fast this machine runs the test.
    vi.useFakeTimers();
    try {
      const now = (): number => Date.now();
      const target = new EventTarget();
      const unwatch = watchInput(target, now);
      const started = now();
      const typing = setInterval(() => target.dispatchEvent(new Event('keydown')), 20);
      setTimeout(() => clearInterval(typing), 200);
      let done = false;
      const waiting = inputQuiet(100, 2000, now).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(250);
      expect(done).toBe(false); // keys were still arriving 50 ms ago
      await vi.advanceTimersByTimeAsync(200);
      await waiting;
      const waited = now() - started;
      expect(waited).toBeGreaterThanOrEqual(280); // 200 ms of typing, then 100 ms of quiet
      expect(waited).toBeLessThanOrEqual(450);
      unwatch();

      const t0 = now();
      const quiet = inputQuiet(100, 2000, now);
      await vi.advanceTimersByTimeAsync(200);
      await quiet;
      // Nothing typed: it still gives late keys a moment, and no more.
      expect(now() - t0).toBeGreaterThanOrEqual(100);

      // Keys that never stop: it lets the window go after maxMs.
      const endless = setInterval(() => target.dispatchEvent(new Event('keydown')), 10);
      const watching = watchInput(target, now);
      const t1 = now();
      const capped = inputQuiet(100, 1200, now);
      await vi.advanceTimersByTimeAsync(1300);
      await capped;
      expect(now() - t1).toBeLessThanOrEqual(1300);
      clearInterval(endless);
      watching();
    } finally {
      vi.useRealTimers();
    }
  });
});
