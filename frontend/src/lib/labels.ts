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

/**
 * The dashboard's heading. The name comes from Go (forms.Names: the preferred name, else the
 * whole legal name); it is never cut out of the legal name here, since the first word is the
 * family name in "Nguyễn Văn An" and there are no words in "王芳".
 */
export function greeting(complete: boolean, names: { greeting: string } | null | undefined): string {
  if (complete) return 'Onboarding complete';
  const name = names?.greeting.trim() ?? '';
  return name ? `Welcome, ${name}` : 'Welcome';
}

/** "a", "a and b", "a, b and c". */
export function listJoin(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
