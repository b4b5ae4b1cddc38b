/** The Settings screen's values as typed, by field name (the Go side's JSON names). */
export type SettingsValues = Record<string, string>;

/** The fields the Settings screen edits as text: everything in ConnectionSettings but the password flag. */
export const settingsFields = [
  'intakeURL',
  'smtpHost',
  'smtpPort',
  'smtpUsername',
  'mailFrom',
  'supportEmail',
  'credentialingEmail',
] as const;

/** The values to edit, from what Go returned. */
export function toValues(s: { [K in (typeof settingsFields)[number]]?: string }): SettingsValues {
  const out: SettingsValues = {};
  for (const f of settingsFields) out[f] = s[f] ?? '';
  return out;
}

/**
 * Whether a stored relay password still applies as typed: Go keeps it only
 * for the relay host (any case) and user name it was saved with.
 */
export function storedPasswordApplies(hasStored: boolean, saved: SettingsValues, current: SettingsValues): boolean {
  const host = (v: SettingsValues) => (v.smtpHost ?? '').trim().replace(/^\[|\]$/g, '').toLowerCase();
  return hasStored && host(current) !== '' && host(saved) === host(current) && (saved.smtpUsername ?? '').trim() === (current.smtpUsername ?? '').trim();
}

/** A check result's words, e.g. "Intake server: answered." */
export function checkLabel(status: string): string {
  switch (status) {
    case 'ok':
      return 'Works';
    case 'failed':
      return 'Problem';
    default:
      return 'Not tried';
  }
}
