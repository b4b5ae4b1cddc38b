import { describe, expect, it, vi } from 'vitest';

// The place arrives after the dashboard: the store must not show the
// dashboard before it knows where the provider was.
let answerPlace: ((place: string) => void) | null = null;
vi.mock('../api', () => ({
  api: {
    status: vi.fn(async () => ({ state: 'ready' })),
    dashboard: vi.fn(async () => ({ items: [] })),
    place: vi.fn(() => new Promise<string>((resolve) => (answerPlace = resolve))),
  },
}));
vi.mock('../api/problem', () => ({ ProblemError: class extends Error {} }));
const { app } = await import('./app.svelte');

describe('app store load', () => {
  it('shows the dashboard and the remembered place together', async () => {
    const loading = app.load();
    await vi.waitFor(() => expect(answerPlace).not.toBeNull());
    await new Promise((r) => setTimeout(r, 10)); // the dashboard has answered
    expect(app.dashboard).toBeNull();
    expect(app.view).toBe('dashboard');
    answerPlace?.('form:general#bio');
    await loading;
    expect(app.dashboard).not.toBeNull();
    expect(app.view).toBe('form');
    expect(app.formId).toBe('general');
    expect(app.resumeField).toBe('bio');
  });
});
