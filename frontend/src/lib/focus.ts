/**
 * After the screen changes, puts focus on its heading when it would
 * otherwise be lost (on the page body, or on an element that went away with
 * the old screen), so a keyboard or screen-reader user starts at the top of
 * the new screen. Waits up to `frames` animation frames for a screen that
 * is still loading. Returns whether it moved focus.
 */
export async function focusScreenHeading(doc: Document = document, frames = 20): Promise<boolean> {
  for (let i = 0; i <= frames; i++) {
    const active = doc.activeElement;
    if (active && active !== doc.body && active.isConnected) return false;
    const heading = doc.querySelector<HTMLElement>('main h1');
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
      heading.focus();
      return true;
    }
    await new Promise((r) => requestAnimationFrame(() => r(null)));
  }
  return false;
}
