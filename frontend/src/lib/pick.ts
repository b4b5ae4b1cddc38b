/** Filtering for the searchable pickers of long option lists (Picker.svelte). */

export interface PickOption {
  value: string;
  label: string;
}

/** Above this many options a select or multiselect becomes a searchable picker. */
export const PICKER_MIN_OPTIONS = 11;

export function wantsPicker(options: readonly PickOption[] | undefined | null): boolean {
  return (options?.length ?? 0) >= PICKER_MIN_OPTIONS;
}

/** Lower case without accents, so "quebec" finds "Québec" and "CA" finds "ca". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

// How well an option matches: 0 its value, 1 the start of its label, 2 the start of a later
// word of its label (or of its value); undefined no match.
function rank(opt: PickOption, q: string): number | undefined {
  const value = fold(opt.value);
  const label = fold(opt.label);
  if (value === q) return 0;
  if (label.startsWith(q)) return 1;
  if (value.startsWith(q)) return 2;
  for (let i = label.indexOf(q, 1); i > 0; i = label.indexOf(q, i + 1)) {
    if (!/[\p{L}\p{N}]/u.test(label[i - 1] ?? '')) return 2;
  }
  return undefined;
}

/**
 * The options that match what was typed, best first, each group in the list's own order: a
 * value typed whole ("CA"), then labels that start with it ("Calif"), then a later word's start
 * ("york" for New York). An empty query keeps every option.
 */
export function filterOptions<T extends PickOption>(options: readonly T[], query: string): T[] {
  const q = fold(query);
  if (!q) return [...options];
  const ranked: { opt: T; rank: number; at: number }[] = [];
  options.forEach((opt, at) => {
    const r = rank(opt, q);
    if (r !== undefined) ranked.push({ opt, rank: r, at });
  });
  return ranked.sort((a, b) => a.rank - b.rank || a.at - b.at).map((r) => r.opt);
}

/** The option whose label or value is exactly what was typed (ignoring case and accents). */
export function exactOption<T extends PickOption>(options: readonly T[], typed: string): T | undefined {
  const q = fold(typed);
  if (!q) return undefined;
  return options.find((o) => fold(o.label) === q || fold(o.value) === q);
}
