import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, waitFor } from '@testing-library/svelte';

const entry = (id: number, what: string, state: string, background = false) => ({
  id,
  what,
  state,
  attempts: state === 'queued' ? 0 : 1,
  queuedAt: '2026-11-25T10:00:00Z',
  background,
});

vi.mock('../api', () => ({
  api: {
    onSync: vi.fn(() => () => {}),
    lastSync: vi.fn(async () => ({ configured: true, accountReady: true, online: true, at: '2026-11-25T10:05:00Z' })),
    outbox: vi.fn(async () => [
      entry(7, 'For the network: your checklist, 1 of 5 done', 'queued', true),
      entry(6, 'Request: Add Aetna', 'delivered'),
      entry(5, 'For the network: your training is done (webinar watched, quiz passed)', 'delivered', true),
      entry(4, 'Insurance form, version 1', 'delivered'),
      entry(3, 'For the network: the version of Onramp you use (0.1.0)', 'delivered', true),
      entry(2, 'For the network: your contracted start date, December 1, 2026', 'delivered', true),
      entry(1, 'General Onboarding form, version 1', 'delivered'),
    ]),
  },
}));
const { sync } = await import('../stores/sync.svelte');
const { default: SyncIndicator } = await import('./SyncIndicator.svelte');

describe('SyncIndicator', () => {
  // The panel listed every report beside the forms, grew past the dashboard's portal step and
  // stayed open until its ✕ was clicked.
  it("lists the provider's own items first, folds delivered background reports, takes the keyboard, and closes on Escape", async () => {
    await sync.start();
    const { container } = render(SyncIndicator);
    const toggle = container.querySelector('#sync-status') as HTMLButtonElement;
    await fireEvent.click(toggle);
    const panel = (await waitFor(() => container.querySelector('#outbox-panel'))) as HTMLElement;
    await waitFor(() => expect(document.activeElement).toBe(panel));

    const top = [...panel.querySelectorAll(':scope > ul li strong')].map((e) => e.textContent);
    expect(top).toEqual(['Request: Add Aetna', 'Insurance form, version 1', 'General Onboarding form, version 1', 'For the network: your checklist, 1 of 5 done']);
    const folded = panel.querySelector('#outbox-background') as HTMLDetailsElement;
    expect(folded.open).toBe(false);
    expect(folded.querySelector('summary')?.textContent).toBe('3 updates Onramp sent the network by itself');
    expect(folded.querySelectorAll('li[data-outbox-state="delivered"]')).toHaveLength(3);

    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(container.querySelector('#outbox-panel')).toBeNull());
    expect(document.activeElement).toBe(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });
});
