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

/** Runs every registered flush; resolves when all have finished or failed. */
export async function flushAll(): Promise<void> {
  await Promise.allSettled([...flushers].map((f) => f()));
}
