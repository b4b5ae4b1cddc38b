import { daysBetween, longDate, relativeDays, shortDate } from './dates';

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

/** The network's review of a form's latest submitted version, as Go sends it. */
export interface ReviewFacts {
  state: string; // submitted, reviewed, returned
  on?: string;
  reason?: string;
}

/** "Waiting for the network's review", "Reviewed by the network Nov 22, 2026", "Returned by the network: …". */
export function reviewText(review: ReviewFacts | null | undefined): string {
  switch (review?.state) {
    case undefined:
      return '';
    case 'reviewed':
      return review.on ? `Reviewed by the network ${shortDate(review.on)}` : 'Reviewed by the network';
    case 'returned':
      return review.reason ? `Returned by the network: ${review.reason}` : 'Returned by the network';
    default:
      return "Waiting for the network's review";
  }
}

/** The badge of a submitted form: Submitted, Reviewed or Returned. */
export function reviewBadge(review: ReviewFacts | null | undefined): string {
  switch (review?.state) {
    case 'reviewed':
      return 'Reviewed';
    case 'returned':
      return 'Returned';
    default:
      return 'Submitted';
  }
}

/** The network's guidance for the next step, as Go sends it. */
export interface GuidanceFacts {
  after: string;
  next: string;
  doneOn: string;
  dueBy: string;
  sentOn?: string;
  overdue: boolean;
}

/** What the next-step card says: its heading, its date line and its sentence. */
export interface GuidanceWords {
  title: string;
  date: string;
  text: string;
}

/** Sent once the network sent it; due (or overdue) until then. */
export function guidanceWords(g: GuidanceFacts, today: string): GuidanceWords {
  const done = `${g.after} on ${shortDate(g.doneOn)}.`;
  if (g.sentOn) {
    return {
      title: 'Your next-step guidance',
      date: `Sent ${longDate(g.sentOn)}`,
      text: `${done} The network emailed you its guidance on ${g.next}: look for it in your inbox.`,
    };
  }
  const when = relativeDays(daysBetween(today, g.dueBy));
  return {
    title: 'Expect the next step by',
    date: longDate(g.dueBy),
    text: g.overdue
      ? `${done} The network's guidance on ${g.next} was due ${when} and hasn't been sent yet.`
      : `${done} The network's guidance on ${g.next} is due ${when}.`,
  };
}

/** The onboarding-complete email, as Go sends it. */
export interface CompletionEmailFacts {
  state: string; // queued, sent, failed
  sentOn?: string;
}

/** "You completed every onboarding step on …" and where the confirmation email stands. */
export function completionText(completedOn: string, email: CompletionEmailFacts | null | undefined): string {
  const done = `You completed every onboarding step on ${longDate(completedOn)}.`;
  switch (email?.state) {
    case 'sent':
      return `${done} Your confirmation email was sent on ${longDate(email.sentOn ?? '')}.`;
    case 'failed':
      return `${done} Your confirmation email couldn't be sent: open the outbox from the sync status at the top to see why and try again.`;
    case 'queued':
      return `${done} Your confirmation email is queued and goes out when you're online.`;
    default:
      return done;
  }
}

/** The last sync, as Go reports it. */
export interface SyncFacts {
  configured: boolean;
  accountReady: boolean;
  online: boolean;
  error?: string;
  at: string;
}

/** The sync status in the top bar. `time` shows the sync's time of day. */
export function syncLabel(r: SyncFacts | null, pending: number, time: (iso: string) => string): string {
  if (!r || !r.configured) return 'Working offline';
  if (!r.accountReady) return "Syncs once you're set up";
  if (!r.online) return pending > 0 ? `Offline · ${pending} waiting to send` : 'Offline';
  if (r.error) return 'Sync problem';
  return pending > 0 ? `Online · ${pending} sending` : `Synced ${r.at ? time(r.at) : ''}`.trimEnd();
}

/** The sync status dot: none (nothing to sync with yet), off, ok or warn. */
export function syncState(r: SyncFacts | null, failed: number): 'none' | 'off' | 'ok' | 'warn' {
  if (!r || !r.configured || !r.accountReady) return 'none';
  if (!r.online) return 'off';
  return r.error || failed > 0 ? 'warn' : 'ok';
}

/** An outbox item's state in words: Queued, Sending, Delivered, Failed. */
export function outboxStateLabel(state: string): string {
  switch (state) {
    case 'queued':
      return 'Queued';
    case 'sending':
      return 'Sending';
    case 'delivered':
      return 'Delivered';
    case 'failed':
      return 'Failed';
    default:
      return state;
  }
}
