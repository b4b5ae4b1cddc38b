/**
 * Money fields: Go stores whole dollars as digits ("1000000", forms.NormalizeMoney) and is the
 * judge of what an amount is; the form shows them as "$1,000,000" (forms.FormatMoney).
 */

/** The digits of an amount as typed ("$1,000,000", "1,000,000.00"), or null if it isn't one. */
export function moneyDigits(typed: string): string | null {
  const v = typed.replace(/[$,\s]/g, '').replace(/\.00$/, '');
  // Go's bound (forms.parseMoney): a billion dollars.
  if (!/^\d{1,10}$/.test(v) || Number(v) > 1_000_000_000) return null;
  return String(Number(v));
}

/** "$1,000,000" for an amount; anything else as it is, for its problem to point at. */
export function formatMoney(v: string): string {
  const digits = moneyDigits(v);
  if (digits === null) return v;
  return '$' + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
