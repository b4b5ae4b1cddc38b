/**
 * Remembers which field of a form the provider is in: a field is sent a
 * moment after focus settles on it, and only when it is a move. Focus
 * returned to the field the form reopened at is not a move, so a window
 * that merely reopens never writes a place (two windows on one backend,
 * as under `wails dev`, cannot undo each other's moves).
 */
export class PlaceTracker {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private field: string;

  constructor(
    private readonly send: (field: string) => void,
    startField = '',
    private readonly delayMs = 300,
  ) {
    this.field = startField;
  }

  /** Focus moved into the field at path ('' outside any field). */
  focused(path: string): void {
    if (!path || path === this.field) return;
    clearTimeout(this.timer);
    this.field = path;
    this.timer = setTimeout(() => this.send(path), this.delayMs);
  }

  /** Drops a move not yet sent (the form is closing). */
  cancel(): void {
    clearTimeout(this.timer);
  }
}
