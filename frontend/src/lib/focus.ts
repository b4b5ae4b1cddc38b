/**
 * After the screen changes, puts focus on its heading when it is lost (on
 * the page body, or on an element that went away with the old screen), so a
 * keyboard or screen-reader user starts at the top of the new screen. A
 * screen settles over a moment (the old one goes, the new one is drawn
 * again once its data arrives), so it watches for `waitMs`: a heading
 * replaced while it holds focus passes it to the new one, and focus the
 * provider or the screen moves elsewhere (a form's first field) is left
 * there. Focus on the button that opened the screen (a top-bar button
 * marked `data-nav`, which stays when its screen opens) moves too, as a
 * link's would. Returns whether it moved focus.
 */
export async function focusScreenHeading(doc: Document = document, waitMs = 3000): Promise<boolean> {
  const until = Date.now() + waitMs;
  let mine: Element | null = doc.activeElement; // where focus is expected
  let opener: Element | null = mine?.closest('[data-nav]') ?? null;
  let moved = false;
  for (;;) {
    const active = doc.activeElement;
    const lost = focusLost(doc) || active === opener;
    if (!lost && active !== mine) return moved; // placed elsewhere on purpose
    const heading = lost ? doc.querySelector<HTMLElement>('main h1') : null;
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
      heading.focus();
      mine = heading;
      opener = null; // the provider may go back to it
      moved = true;
    }
    if (Date.now() >= until) return moved;
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Whether focus is nowhere a keyboard user can go on from: the page body, or an element that went away. */
export function focusLost(doc: Document = document): boolean {
  const active = doc.activeElement;
  return !active || active === doc.body || !active.isConnected;
}

/**
 * Where a control gave way to its result (a form to its confirmation, a
 * button to a banner), puts focus that went with the control on what
 * replaced it; focus the provider moved elsewhere meanwhile stays.
 */
export function focusIfLost(el: HTMLElement | null | undefined, doc: Document = document): void {
  if (el && focusLost(doc)) el.focus();
}
