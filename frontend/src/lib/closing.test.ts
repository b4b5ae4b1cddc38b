import { describe, expect, it } from 'vitest';
import { flushAll, flushOnClose } from './closing';

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
});
