import type { FormData } from './formstate';

/** What of the registry's record can fill the Insurance form. */
export interface RegistryLicenses {
  credential?: string;
  taxonomies: { state?: string; license?: string }[];
}

/**
 * Fills the Insurance form's empty license fields from the NPI Registry's
 * record: each license the registry lists (state and number) that the form
 * does not hold yet goes into the first license whose state and number are
 * both empty, else into a new one; an empty license type takes the
 * registry's credential. Nothing typed is ever overwritten. Returns what was
 * filled, in words ("OR license L1234"); empty when nothing was.
 */
export function fillLicenses(data: FormData, rec: RegistryLicenses): string[] {
  const items = (data.groups['licenses'] ??= []);
  const filled: string[] = [];
  const held = new Set(items.map((it) => key(it['state'], it['number'])));
  for (const t of rec.taxonomies) {
    const state = (t.state ?? '').trim().toUpperCase();
    const number = (t.license ?? '').trim();
    if (!state || !number || held.has(key(state, number))) continue;
    let item = items.find((it) => !(it['state'] ?? '').trim() && !(it['number'] ?? '').trim());
    if (!item) {
      item = {};
      items.push(item);
    }
    item['state'] = state;
    item['number'] = number;
    if (!(item['type'] ?? '').trim() && rec.credential) item['type'] = rec.credential;
    held.add(key(state, number));
    filled.push(`${state} license ${number}`);
  }
  return filled;
}

/** Whether fillLicenses would fill anything, without changing data. */
export function canFillLicenses(data: FormData, rec: RegistryLicenses): boolean {
  return fillLicenses(JSON.parse(JSON.stringify(data)) as FormData, rec).length > 0;
}

function key(state: string | undefined, number: string | undefined): string {
  return `${(state ?? '').trim().toUpperCase()} ${(number ?? '').trim().toUpperCase()}`;
}
