import { describe, expect, it } from 'vitest';
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
    const target = new EventTarget();
    const unwatch = watchInput(target);
    const started = performance.now();
    const typing = setInterval(() => target.dispatchEvent(new Event('keydown')), 20);
    setTimeout(() => clearInterval(typing), 200);
    await inputQuiet(100, 2000);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(280); // 200 ms of typing, then 100 ms of quiet
    expect(waited).toBeLessThan(1500);
    unwatch();
    const t0 = performance.now();
    await inputQuiet(100, 2000);
    const quietWait = performance.now() - t0;
    expect(quietWait).toBeGreaterThanOrEqual(95); // always gives late keys a moment
    expect(quietWait).toBeLessThan(1000);
  });
});
