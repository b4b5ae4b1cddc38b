import { describe, expect, it } from 'vitest';
import {
  completionText,
  greeting,
  guidanceWords,
  listJoin,
  outboxStateLabel,
  progressText,
  reviewBadge,
  reviewText,
  statusLabel,
  syncAnnouncement,
  syncLabel,
  syncState,
  type SyncFacts,
  versionReviewText,
  windowWords,
} from './labels';

describe('labels', () => {
  it('names each status in plain words', () => {
    expect(statusLabel('done')).toBe('Done');
    expect(statusLabel('locked')).toBe('Locked');
    expect(statusLabel('available')).toBe('To do');
    expect(statusLabel('other')).toBe('other');
  });
  it('counts progress', () => {
    expect(progressText(3, 11)).toBe('3 of 11 items done');
    expect(progressText(0, 1)).toBe('0 of 1 item done');
  });
  // The old rule took the legal name's first word: "Welcome, Nguyễn" (the family name).
  it('greets by the name Go gives, whatever the name shape', () => {
    expect(greeting(false, { greeting: 'An' })).toBe('Welcome, An');
    expect(greeting(false, { greeting: 'Nguyễn Văn An' })).toBe('Welcome, Nguyễn Văn An');
    expect(greeting(false, { greeting: '王芳' })).toBe('Welcome, 王芳');
    expect(greeting(false, { greeting: 'María José' })).toBe('Welcome, María José');
    expect(greeting(false, { greeting: ' ' })).toBe('Welcome');
    expect(greeting(false, undefined)).toBe('Welcome');
    expect(greeting(true, { greeting: 'An' })).toBe('Onboarding complete');
  });
  it('joins a list in plain English', () => {
    expect(listJoin([])).toBe('');
    expect(listJoin(['a'])).toBe('a');
    expect(listJoin(['a', 'b'])).toBe('a and b');
    expect(listJoin(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it("says a form's review from its state", () => {
    expect(reviewText(undefined)).toBe('');
    expect(reviewText({ state: 'submitted' })).toBe("Waiting for the network's review");
    expect(reviewText({ state: 'submitted', notReceived: true })).toBe("Not received by the network yet: it goes when you're online");
    expect(reviewText({ state: 'reviewed', on: '2026-11-22' })).toBe('Reviewed by the network Nov 22, 2026');
    expect(reviewText({ state: 'returned', reason: 'Add the ZIP code of your office.' })).toBe(
      'Returned by the network: Add the ZIP code of your office.',
    );
    expect(reviewBadge({ state: 'submitted' })).toBe('Submitted');
    expect(reviewBadge({ state: 'reviewed', on: '2026-11-22' })).toBe('Reviewed');
    expect(reviewBadge({ state: 'returned', reason: 'x' })).toBe('Returned');
  });
  it('says guidance was sent once it was, waiting while the network lacks the form, and due or overdue until then', () => {
    const g = { after: 'The network received your General Onboarding form', next: 'completing your Insurance form', doneOn: '2026-11-20', dueBy: '2026-11-23', overdue: false };
    expect(guidanceWords(g, '2026-11-22')).toEqual({
      title: "Expect the network's guidance by",
      date: 'Monday, November 23, 2026',
      text: "The network received your General Onboarding form on Nov 20, 2026. The network's guidance on completing your Insurance form is due tomorrow.",
    });
    // A step the provider can take already does not wait for its email (the card read as if the
    // portal password had to wait for the date); the network's own review does.
    expect(guidanceWords({ ...g, step: 'insurance-form' }, '2026-11-22').text).toContain("You can start it now: you don't need to wait for the email.");
    expect(guidanceWords({ ...g, step: 'portal-password', next: 'creating your portal password' }, '2026-11-22').text).toContain('You can start it now');
    expect(guidanceWords({ ...g, step: 'review', next: "the network's review and credentialing" }, '2026-11-22').text).not.toContain('start it now');
    expect(guidanceWords({ ...g, overdue: true }, '2026-11-25').text).toBe(
      "The network received your General Onboarding form on Nov 20, 2026. The network's guidance on completing your Insurance form was due 2 days ago and hasn't been sent yet.",
    );
    const sent = guidanceWords({ ...g, dueBy: undefined, sentOn: '2026-11-20' }, '2026-11-25');
    expect(sent.date).toBe('Sent Friday, November 20, 2026');
    expect(sent.text).toContain('The network emailed you its guidance on completing your Insurance form');
    expect(sent.text).not.toContain('due');
    const waiting = guidanceWords(
      { ...g, doneOn: undefined, dueBy: undefined, waiting: "Your General Onboarding form hasn't reached the network yet: it goes when you're online." },
      '2026-11-25',
    );
    expect(waiting.date).toBe('No date yet');
    expect(waiting.text).toBe(
      "Your General Onboarding form hasn't reached the network yet: it goes when you're online. The network's guidance on completing your Insurance form is due the first business day after the network receives it.",
    );
    expect(waiting.text).not.toMatch(/overdue|past|ago/);
  });
  it('says where the credentialing window stands', () => {
    const w = { state: 'open', submittedOn: '2026-10-01', receivedOn: '2026-10-05', expectedBy: '2026-11-19', daysLeft: 18, inNetwork: false };
    expect(windowWords(w).date).toBe('Expected by Thursday, November 19, 2026');
    expect(windowWords(w).text).toContain('The network received your Insurance form on Oct 5, 2026; payers take up to 45 days (18 days left).');
    expect(windowWords({ ...w, state: 'past', daysLeft: -1 }).text).toContain('ended 1 day ago');
    expect(windowWords({ ...w, state: 'waiting', receivedOn: undefined, expectedBy: undefined }).date).toBe('Starts when the network receives your form');
    expect(windowWords({ ...w, state: 'returned' }).text).toContain('start again');
    expect(windowWords({ ...w, state: 'effective', effectiveDate: '2026-11-15', inNetwork: true }).date).toBe('Effective Sunday, November 15, 2026');
  });
  it("says each version's review and which waits", () => {
    const v = { version: 2, review: 'received', receivedAt: '2026-11-23T12:00:00Z', awaitingReview: true };
    expect(versionReviewText(v, 2)).toBe('Received by the network Nov 23, 2026; waiting for review');
    expect(versionReviewText({ ...v, version: 1, awaitingReview: false }, 2)).toBe('Received by the network Nov 23, 2026; replaced by version 2');
    expect(versionReviewText({ ...v, review: 'not-received', awaitingReview: false }, 2)).toContain('Not received by the network yet');
    expect(versionReviewText({ ...v, review: 'returned', reason: 'The policy expired.', awaitingReview: false }, 2)).toBe('Returned for changes: The policy expired.');
    expect(versionReviewText({ ...v, review: 'reviewed', reviewedAt: '2026-11-24T09:00:00Z', awaitingReview: false }, 2)).toBe('Reviewed Nov 24, 2026');
  });
  it("says the network's team sends the confirmation email, and when it did", () => {
    expect(completionText('2026-10-20', { state: 'pending' })).toBe(
      "You completed every onboarding step on Tuesday, October 20, 2026. The network's team will email you a confirmation; the day it's sent shows here after the next sync.",
    );
    expect(completionText('2026-10-20', { state: 'sent', sentOn: '2026-10-21' })).toBe(
      "You completed every onboarding step on Tuesday, October 20, 2026. The network's team sent your confirmation email on Wednesday, October 21, 2026.",
    );
    for (const state of ['pending', 'sent']) {
      const text = completionText('2026-10-20', { state, sentOn: '2026-10-21' });
      expect(text).not.toMatch(/queued|online|couldn't|outbox/);
    }
  });
  it('shows no sync problem before the account is set up', () => {
    const time = () => '9:30 AM';
    const before: SyncFacts = { configured: true, accountReady: false, online: false, at: '2026-11-30T09:30:00Z' };
    expect(syncLabel(before, 0, time)).toBe("Syncs once you're set up");
    expect(syncState(before, 0)).toBe('none');
    const ready: SyncFacts = { ...before, accountReady: true, online: true };
    expect(syncLabel(ready, 0, time)).toBe('Synced 9:30 AM');
    expect(syncLabel({ ...ready, error: 'The network’s server had a problem answering.' }, 0, time)).toBe('Sync problem');
    expect(syncState({ ...ready, error: 'x' }, 0)).toBe('warn');
    expect(syncLabel({ ...ready, online: false }, 2, time)).toBe('Offline · 2 waiting to send');
    expect(syncLabel(ready, 1, time)).toBe('Online · 1 waiting to send');
    expect(syncLabel(null, 0, time)).toBe('Working offline');
    expect(syncState(null, 0)).toBe('none');
  });
  it('names outbox states in words', () => {
    expect(['queued', 'sending', 'delivered', 'failed'].map(outboxStateLabel)).toEqual(['Queued', 'Sending', 'Delivered', 'Failed']);
  });
});

describe('syncAnnouncement', () => {
  it('says the sync state in words that change only with the state', () => {
    expect(syncAnnouncement('none', 0)).toBe('');
    expect(syncAnnouncement('ok', 0)).toBe('Synced with the network.');
    expect(syncAnnouncement('off', 0)).toContain('Working offline');
    expect(syncAnnouncement('warn', 2)).toBe('Sync problem: 2 items failed. Open the outbox for the reason.');
    expect(syncAnnouncement('warn', 1)).toContain('1 item failed');
    expect(syncAnnouncement('warn', 0)).toBe('Sync problem. Open the outbox for the reason.');
  });
});
