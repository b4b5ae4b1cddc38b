import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, waitFor } from '@testing-library/svelte';

vi.mock('../api', () => ({
  api: {
    helpIndex: vi.fn(async () => [{ id: 'contact-support', title: 'Contacting support', summary: 'How to send a help request.' }]),
    policies: vi.fn(async () => ({ help: { subject: 200, message: 10000 } })),
    askForHelp: vi.fn(async () => null),
    appVersion: vi.fn(async () => '1.2.3'),
    onSync: vi.fn(() => () => {}),
    helpThreads: vi.fn(async () => [
      { subject: 'Where is my packet?', message: 'I sent it <b>yesterday</b>', askedAt: '2026-11-20T10:00:00Z', state: 'waiting', replies: [] },
      {
        subject: 'Claims',
        message: 'How do I bill?',
        askedAt: '2026-11-02T10:00:00Z',
        state: 'open',
        replies: [{ at: '2026-11-03T09:00:00Z', body: 'Through the portal: see the webinar.' }],
      },
    ]),
  },
}));
const { api } = await import('../api');
const { help } = await import('../stores/help.svelte');
const { default: HelpDrawer } = await import('./HelpDrawer.svelte');

describe('HelpDrawer', () => {
  // The dashboard's "Contact support" used to open an article; the provider then had to find the
  // form below the list and work out which dates to mention.
  it('opens the support form first, filled in and focused, and sends what the provider leaves there', async () => {
    const { container } = render(HelpDrawer);
    await help.contact({ subject: 'Credentialing past 45 days', message: 'The network received my Insurance form (version 2) on …' });
    const subject = (await waitFor(() => container.querySelector('#ask-subject'))) as HTMLInputElement;
    const message = container.querySelector('#ask-message') as HTMLTextAreaElement;
    expect(subject.value).toBe('Credentialing past 45 days');
    expect(message.value).toContain('version 2');
    expect(container.querySelector('#ask-prefilled')?.textContent).toContain('filled in');
    // The form comes before the article list.
    const form = container.querySelector('#contact-support') as HTMLElement;
    const list = container.querySelector('.help-list') as HTMLElement;
    expect(form.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(subject));

    await fireEvent.input(message, { target: { value: 'The network received my Insurance form (version 2). Any news?' } });
    await fireEvent.submit(form);
    await waitFor(() => expect(api.askForHelp).toHaveBeenCalledWith('Credentialing past 45 days', 'The network received my Insurance form (version 2). Any news?'));
    await waitFor(() => expect(container.querySelector('#ask-queued')).not.toBeNull());
    expect(help.subject).toBe('');

    help.close();
    expect(help.prefilled).toBe(false);
  });

  it('names the app version in its footer, for support', async () => {
    const { container } = render(HelpDrawer);
    await help.show();
    await waitFor(() => expect(container.querySelector('#help-version')?.textContent).toBe('Onramp version 1.2.3'));
  });

  it('lists the questions sent to support with their answers, as text', async () => {
    const { container } = render(HelpDrawer);
    await help.show();
    const threads = await waitFor(() => {
      const el = container.querySelector('#help-threads');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    const items = [...threads.querySelectorAll('.thread')];
    expect(items).toHaveLength(2);
    const [waiting, answered] = items as [Element, Element];
    expect(waiting.textContent).toContain('Waiting to send');
    expect(waiting.querySelector('b')).toBeNull();
    expect(waiting.textContent).toContain('<b>yesterday</b>');
    expect(answered.querySelector('.thread-reply')?.textContent).toContain('Through the portal: see the webinar.');
    expect(answered.textContent).toContain('Open');
    help.close();
  });

  it('keeps Tab inside the drawer and gives focus back to what opened it', async () => {
    const opener = document.createElement('button');
    opener.textContent = 'Help';
    document.body.appendChild(opener);
    opener.focus();
    const { container } = render(HelpDrawer);
    await help.show();
    const drawer = await waitFor(() => {
      const el = container.querySelector('[role="dialog"]');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    const focusable = [...drawer.querySelectorAll<HTMLElement>('button:not([disabled]), input, textarea')];
    const last = focusable[focusable.length - 1]!;
    last.focus();
    await fireEvent.keyDown(drawer, { key: 'Tab' });
    expect(document.activeElement).toBe(focusable[0]);
    await fireEvent.keyDown(drawer, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
    help.close();
    await waitFor(() => expect(document.activeElement).toBe(opener));
    opener.remove();
  });
});
