/** Pure helpers for the long forms: conditions, repeating items, problems and autosave. */

export interface Condition {
  field: string;
  in: string[];
}

export interface FormData {
  fields: Record<string, string>;
  groups: Record<string, Record<string, string>[]>;
}

/** Whether a condition holds: "$x" reads the context, other names the scope (form or item). */
export function holds(
  cond: Condition | undefined | null,
  scope: Record<string, string>,
  context: Record<string, string>,
): boolean {
  if (!cond) return true;
  const v = cond.field.startsWith('$') ? (context[cond.field] ?? '') : (scope[cond.field] ?? '').trim();
  return cond.in.includes(v);
}

/**
 * The field of a problem with the whole form rather than one field (Go's forms.FormWide), such as
 * a new version identical to the last: the form shows it next to its submit button.
 */
export const FORM_WIDE = 'form';

/** Splits problems into those of fields and those of the whole form. */
export function splitProblems<P extends { field: string }>(problems: P[]): { fields: P[]; form: P[] } {
  return { fields: problems.filter((p) => p.field !== FORM_WIDE), form: problems.filter((p) => p.field === FORM_WIDE) };
}

/** The DOM id of a field path: "licenses.2.expires" → "f-licenses-2-expires". */
export function fieldId(path: string): string {
  return `f-${path.replace(/\./g, '-')}`;
}

export function addItem(data: FormData, section: string): number {
  const items = (data.groups[section] ??= []);
  items.push({});
  return items.length - 1;
}

export function removeItem(data: FormData, section: string, index: number): void {
  data.groups[section]?.splice(index, 1);
}

/** Moves an item up (-1) or down (+1); out-of-range moves do nothing. */
export function moveItem(data: FormData, section: string, index: number, by: -1 | 1): void {
  const items = data.groups[section];
  const to = index + by;
  if (!items || to < 0 || to >= items.length) return;
  const [it] = items.splice(index, 1);
  if (it) items.splice(to, 0, it);
}

/** Multi-choice values travel as "a,b,c". */
export function splitChoices(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function toggleChoice(v: string | undefined, choice: string, on: boolean): string {
  const set = new Set(splitChoices(v));
  if (on) set.add(choice);
  else set.delete(choice);
  return [...set].join(',');
}

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/**
 * Saves the latest data a short while after the last change, one save at a time. A change
 * during a save is saved right after it; a failed save is retried. flush() saves now.
 */
export class Autosaver<T> {
  state: SaveState = 'idle';
  savedAt = '';
  error = '';
  private latest: T | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly save: (data: T) => Promise<string>,
    private readonly onState: (s: Autosaver<T>) => void,
    private readonly delayMs = 400,
    private readonly retryMs = 2000,
  ) {}

  schedule(data: T): void {
    this.latest = data;
    this.set('pending');
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  /** Saves anything pending now and waits until it is stored. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.latest !== null || this.running) {
      await this.run();
    }
  }

  private async run(): Promise<void> {
    if (this.running) {
      await this.running;
      return;
    }
    const data = this.latest;
    if (data === null) return;
    this.latest = null;
    this.set('saving');
    this.running = (async () => {
      try {
        this.savedAt = await this.save(data);
        this.error = '';
        this.set(this.latest === null ? 'saved' : 'pending');
      } catch (err) {
        // Keep the unsaved data unless something newer replaced it, and try again.
        this.latest ??= data;
        this.error = err instanceof Error ? err.message : String(err);
        this.set('error');
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.run(), this.retryMs);
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    if (this.latest !== null && this.state === 'pending') {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.run(), this.delayMs);
    }
  }

  private set(s: SaveState): void {
    this.state = s;
    this.onState(this);
  }
}
