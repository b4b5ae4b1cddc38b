import { describe, expect, it } from 'vitest';
import { screenTitle } from './titles';

describe('screenTitle', () => {
  it('names every screen', () => {
    const views = ['dashboard', 'training', 'form', 'portal', 'packet-export', 'packet-open', 'settings', 'directories'];
    const titles = new Set(views.map((v) => screenTitle('ready', v, v === 'form' ? 'Insurance form' : undefined)));
    expect(titles.size).toBe(views.length);
    expect(screenTitle('ready', 'form', 'Insurance form')).toBe('Insurance form · Onramp');
    expect(screenTitle('setup', 'dashboard')).toBe('Set up · Onramp');
    expect(screenTitle('recovery', 'dashboard')).toBe('Recover your data · Onramp');
    expect(screenTitle(undefined, 'dashboard')).toBe('Opening · Onramp');
  });
});
