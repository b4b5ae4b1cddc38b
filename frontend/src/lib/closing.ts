/**
 * What must be saved before the window closes: each open screen with
 * pending work (a form's draft inside its autosave pause) registers a
 * flush; when the window is closed every flush runs, whatever the others
 * do, before the app is told it may go.
 */
const flushers = new Set<() => Promise<unknown>>();

/** Registers a flush; returns the function that unregisters it. */
export function flushOnClose(flush: () => Promise<unknown>): () => void {
  flushers.add(flush);
  return () => {
    flushers.delete(flush);
  };
}

let lastInput = 0;

/** Notes typing and edits, so that closing waits for keystrokes still arriving. */
export function watchInput(target: EventTarget, now: () => number = () => performance.now()): () => void {
  const seen = (): void => {
    lastInput = now();
  };
  target.addEventListener('keydown', seen, true);
  target.addEventListener('input', seen, true);
  return () => {
    target.removeEventListener('keydown', seen, true);
    target.removeEventListener('input', seen, true);
  };
}

/**
 * Resolves once no keystroke or edit has arrived for quietMs since it was
 * called (the browser may still be delivering keys typed just before the
 * window was closed), or after maxMs whatever happens.
 */
export async function inputQuiet(quietMs = 120, maxMs = 1200, now: () => number = () => performance.now()): Promise<void> {
  const start = now();
  for (;;) {
    // Counted from the request at the earliest: keys typed just before it
    // may not have reached the page yet.
    const idle = now() - Math.max(lastInput, start);
    if (idle >= quietMs || now() - start >= maxMs) return;
    await new Promise((r) => setTimeout(r, Math.min(quietMs - idle, 40)));
  }
}

/** Runs every registered flush; resolves when all have finished or failed. */
export async function flushAll(): Promise<void> {
  await Promise.allSettled([...flushers].map((f) => f()));
}
