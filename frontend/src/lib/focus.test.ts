import { afterEach, describe, expect, it } from 'vitest';
import { focusIfLost, focusScreenHeading } from './focus';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('focusScreenHeading', () => {
  it('moves focus lost to the body onto the new screen’s heading, once it appears', async () => {
    document.body.innerHTML = '<main id="main"></main>';
    const moved = focusScreenHeading(document, 200);
    const h1 = document.createElement('h1');
    h1.textContent = 'Welcome, Ana';
    document.querySelector('main')!.appendChild(h1);
    expect(await moved).toBe(true);
    expect(document.activeElement).toBe(h1);
    expect(h1.tabIndex).toBe(-1);
  });

  it('follows a heading drawn again while it holds focus', async () => {
    document.body.innerHTML = '<main><h1>Loading</h1></main>';
    const moved = focusScreenHeading(document, 300);
    await new Promise((r) => setTimeout(r, 60));
    document.querySelector('main')!.innerHTML = '<h1 id="greeting">Welcome, Ana</h1>';
    expect(await moved).toBe(true);
    expect(document.activeElement?.id).toBe('greeting');
  });

  it('leaves focus where the screen put it', async () => {
    document.body.innerHTML = '<main><h1>Form</h1><input id="first"></main>';
    (document.getElementById('first') as HTMLInputElement).focus();
    expect(await focusScreenHeading(document, 50)).toBe(false);
    expect(document.activeElement?.id).toBe('first');
  });

  it('leaves focus the provider moved elsewhere meanwhile', async () => {
    document.body.innerHTML = '<main><h1>Dashboard</h1><button id="b">Open</button></main>';
    const moved = focusScreenHeading(document, 200);
    await new Promise((r) => setTimeout(r, 60));
    (document.getElementById('b') as HTMLButtonElement).focus();
    expect(await moved).toBe(true);
    expect(document.activeElement?.id).toBe('b');
  });

  it('moves focus from the top-bar button that opened the screen, once', async () => {
    document.body.innerHTML = '<header><button id="settings" data-nav>Settings</button></header><main><h1>Settings</h1></main>';
    const opener = document.getElementById('settings') as HTMLButtonElement;
    opener.focus();
    const moved = focusScreenHeading(document, 200);
    expect(await moved).toBe(true);
    expect(document.activeElement?.textContent).toBe('Settings');
    expect(document.activeElement?.tagName).toBe('H1');

    // Going back to it afterwards is the provider's choice.
    const again = focusScreenHeading(document, 200);
    opener.focus();
    expect(await again).toBe(false);
    expect(document.activeElement).toBe(opener);
  });
});

describe('focusIfLost', () => {
  it('puts focus that went with a removed control on what replaced it', () => {
    document.body.innerHTML = '<main><button id="submit">Create</button></main>';
    const submit = document.getElementById('submit') as HTMLButtonElement;
    submit.focus();
    submit.remove();
    document.querySelector('main')!.innerHTML = '<p id="done" tabindex="-1">Set.</p>';
    focusIfLost(document.getElementById('done'));
    expect(document.activeElement?.id).toBe('done');
  });

  it('leaves focus the provider moved elsewhere', () => {
    document.body.innerHTML = '<main><p id="done" tabindex="-1">Set.</p><input id="other"></main>';
    (document.getElementById('other') as HTMLInputElement).focus();
    focusIfLost(document.getElementById('done'));
    expect(document.activeElement?.id).toBe('other');
  });
});
