/** Words shown for a status the Go side sends. */
export function statusLabel(status: string): string {
  switch (status) {
    case 'done':
      return 'Done';
    case 'locked':
      return 'Locked';
    case 'available':
      return 'To do';
    default:
      return status;
  }
}

/** "3 of 11 done" with the right plural. */
export function progressText(done: number, total: number): string {
  return `${done} of ${total} ${total === 1 ? 'item' : 'items'} done`;
}

/** First name for a greeting: the first word of the legal name. */
export function greetingName(legalName: string): string {
  return legalName.trim().split(/\s+/)[0] ?? '';
}

/** "a", "a and b", "a, b and c". */
export function listJoin(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
