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
  /** Submitted but not at the network yet. */
  notReceived?: boolean;
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
      return review?.notReceived ? "Not received by the network yet: it goes when you're online" : "Waiting for the network's review";
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

/** A message to support with its context filled in, as Go sends it. */
export interface SupportFacts {
  subject: string;
  message: string;
}

/** The network's guidance for the next step, as Go sends it. */
export interface GuidanceFacts {
  /** The email, by the network's step names (insurance-form, review, portal-password, training). */
  step?: string;
  after: string;
  next: string;
  /** When the network had what completes the step; "" while waiting. */
  doneOn?: string;
  dueBy?: string;
  /** What must happen before the network owes the email. */
  waiting?: string;
  sentOn?: string;
  overdue: boolean;
  support?: SupportFacts;
}

/** What the next-step card says: its heading, its date line and its sentence. */
export interface GuidanceWords {
  title: string;
  date: string;
  text: string;
}

/**
 * Sent once the network sent it; waiting (no date) while the network does
 * not have what completes the step; due (or overdue) until then.
 */
/** Guidance emails about a step that is open to the provider by the time the email is due. */
const providerSteps = new Set(['insurance-form', 'portal-password', 'training']);

export function guidanceWords(g: GuidanceFacts, today: string): GuidanceWords {
  const done = g.doneOn ? `${g.after} on ${shortDate(g.doneOn)}.` : '';
  const lead = done ? `${done} ` : '';
  if (g.sentOn) {
    return {
      title: 'Your next-step guidance',
      date: `Sent ${longDate(g.sentOn)}`,
      text: `${lead}The network emailed you its guidance on ${g.next}: look for it in your inbox.`,
    };
  }
  if (g.waiting || !g.dueBy) {
    return {
      title: 'Your next-step guidance',
      date: 'No date yet',
      text: `${g.waiting ?? ''} The network's guidance on ${g.next} is due the first business day after the network receives it.`.trim(),
    };
  }
  const when = relativeDays(daysBetween(today, g.dueBy));
  // The date is the email's, not the step's: a step the provider can take
  // already does not wait for it.
  const now = providerSteps.has(g.step ?? '') ? " You can start it now: you don't need to wait for the email." : '';
  return {
    title: "Expect the network's guidance by",
    date: longDate(g.dueBy),
    text: g.overdue
      ? `${lead}The network's guidance on ${g.next} was due ${when} and hasn't been sent yet.${now}`
      : `${lead}The network's guidance on ${g.next} is due ${when}.${now}`,
  };
}

/** The credentialing window, as Go sends it. */
export interface WindowFacts {
  state: string; // waiting, returned, open, past, effective
  submittedOn: string;
  version?: number;
  receivedOn?: string;
  expectedBy?: string;
  daysLeft: number;
  effectiveDate?: string;
  inNetwork: boolean;
}

/** The credentialing card's date line and sentence. */
export function windowWords(w: WindowFacts): { date: string; text: string } {
  const cashPay = 'Until your effective start date you can see cash-pay clients only.';
  const days = (n: number): string => `${n} ${n === 1 ? 'day' : 'days'}`;
  switch (w.state) {
    case 'effective':
      return {
        date: `Effective ${longDate(w.effectiveDate ?? '')}`,
        text: w.inNetwork ? 'You are in-network: you can see insurance clients.' : 'Until then you are out-of-network: cash-pay clients only.',
      };
    case 'waiting':
      return {
        date: 'Starts when the network receives your form',
        text: `Your Insurance form${w.version && w.version > 1 ? ` (version ${w.version})` : ''} hasn't reached the network yet; it goes when you're online. The 45 days count from when the network receives it. ${cashPay}`,
      };
    case 'returned':
      return {
        date: 'On hold: your Insurance form was returned',
        text: `The 45 days start again when the network receives your changed form. ${cashPay}`,
      };
    case 'past':
      return {
        date: `Expected by ${longDate(w.expectedBy ?? '')}`,
        text: `The network received your Insurance form on ${shortDate(w.receivedOn ?? '')}; the 45 days ended ${days(-w.daysLeft)} ago with no effective date yet. ${cashPay}`,
      };
    default:
      return {
        date: `Expected by ${longDate(w.expectedBy ?? '')}`,
        text: `The network received your Insurance form on ${shortDate(w.receivedOn ?? '')}; payers take up to 45 days (${days(w.daysLeft)} left). ${cashPay}`,
      };
  }
}

/** The onboarding-complete email, which the network's team sends, as Go reports it. */
export interface CompletionEmailFacts {
  state: string; // pending (not sent yet), sent
  sentOn?: string;
}

/**
 * "You completed every onboarding step on …" and where the network's
 * confirmation email stands. The network sends it and retries by itself,
 * so there is nothing for the provider to do while it is pending.
 */
export function completionText(completedOn: string, email: CompletionEmailFacts | null | undefined): string {
  const done = `You completed every onboarding step on ${longDate(completedOn)}.`;
  switch (email?.state) {
    case 'sent':
      return `${done} The network's team sent your confirmation email on ${longDate(email.sentOn ?? '')}.`;
    case 'pending':
      return `${done} The network's team will email you a confirmation; the day it's sent shows here after the next sync.`;
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
  // "waiting", not "sending": an item may wait online too (an email before
  // the network's mail route is known, a retry after a backoff).
  return pending > 0 ? `Online · ${pending} waiting to send` : `Synced ${r.at ? time(r.at) : ''}`.trimEnd();
}

/** The sync status dot: none (nothing to sync with yet), off, ok or warn. */
export function syncState(r: SyncFacts | null, failed: number): 'none' | 'off' | 'ok' | 'warn' {
  if (!r || !r.configured || !r.accountReady) return 'none';
  if (!r.online) return 'off';
  return r.error || failed > 0 ? 'warn' : 'ok';
}

/**
 * What a screen reader hears when the sync state changes (a polite live
 * region): the state in words, not the minutes since the last sync, so it
 * speaks only when something changed.
 */
export function syncAnnouncement(state: 'none' | 'off' | 'ok' | 'warn', failed: number): string {
  switch (state) {
    case 'off':
      return "Working offline. Everything is kept and goes out when you're back online.";
    case 'warn':
      return failed > 0 ? `Sync problem: ${failed} ${failed === 1 ? 'item' : 'items'} failed. Open the outbox for the reason.` : 'Sync problem. Open the outbox for the reason.';
    case 'ok':
      return 'Synced with the network.';
    default:
      return '';
  }
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

/** A submitted version and the network's word on it, as Go sends it. */
export interface VersionFacts {
  version: number;
  review: string; // not-received, received, reviewed, returned
  receivedAt?: string;
  reviewedAt?: string;
  reason?: string;
  awaitingReview: boolean;
}

/** Where the network stands on one submitted version, in plain words. */
export function versionReviewText(v: VersionFacts, latest: number): string {
  const received = v.receivedAt ? `Received by the network ${shortDate(v.receivedAt.slice(0, 10))}` : 'Received by the network';
  switch (v.review) {
    case 'not-received':
      return "Not received by the network yet: it goes when you're online";
    case 'reviewed':
      return v.reviewedAt ? `Reviewed ${shortDate(v.reviewedAt.slice(0, 10))}` : 'Reviewed';
    case 'returned':
      return v.reason ? `Returned for changes: ${v.reason}` : 'Returned for changes';
    default:
      if (v.awaitingReview) return `${received}; waiting for review`;
      return v.version < latest ? `${received}; replaced by version ${latest}` : received;
  }
}

/** The address to open for a web link from the network: http(s) only, else "". */
export function webAddress(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '';
  } catch {
    return '';
  }
}
