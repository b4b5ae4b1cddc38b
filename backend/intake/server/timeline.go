package server

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The provider page's timeline: what happened with one provider, in order,
// from every table that keeps a time.

// TimelineEvent is one thing that happened: when, what, and the staff
// member who did it ("" for the provider, the app or the server).
type TimelineEvent struct {
	At   string
	What string
	Who  string
}

// timelineQuery gathers the events in one round trip. Each arm gives a
// time, a kind, up to three words of detail, a number and who; the Go side
// words them.
const timelineQuery = `
SELECT created_at, 'invited', email, '', '', 0, '' FROM invitations WHERE provider = ?
UNION ALL SELECT created_at, 'enrolled', '', '', '', 0, '' FROM providers WHERE id = ?
UNION ALL SELECT received_at, 'submitted', form, '', '', version, '' FROM submissions WHERE provider = ?
UNION ALL SELECT reviewed_at, review, form, review_reason, '', version, '' FROM submissions WHERE provider = ? AND reviewed_at <> ''
UNION ALL SELECT sent_at, CASE WHEN raw IS NOT NULL THEN 'relayed' WHEN step = '` + StepReminder + `' THEN 'reminded' ELSE 'mailed' END,
	subject, '', '', 0, '' FROM mail_queue WHERE provider = ? AND state = 'sent'
UNION ALL SELECT received_at, 'packet', packet_id, '', '', 0, '' FROM packets WHERE provider = ?
UNION ALL SELECT watched_at, 'watched', '', '', '', 0, '' FROM training WHERE provider = ? AND watched_at <> ''
UNION ALL SELECT at, CASE WHEN passed THEN 'quiz-passed' ELSE 'quiz-failed' END, '', '', '', score, '' FROM quiz_attempts WHERE provider = ?
UNION ALL SELECT completed_at, 'trained', '', '', '', 0, '' FROM training WHERE provider = ? AND completed_at <> ''
UNION ALL SELECT created_at, 'requested', kind, target, '', 0, '' FROM requests WHERE provider = ?
UNION ALL SELECT decided_at, state, kind, target, decision, 0, '' FROM requests WHERE provider = ? AND decided_at <> ''
UNION ALL SELECT created_at, 'ticket', subject, '', '', 0, '' FROM tickets WHERE provider = ?
UNION ALL SELECT completed_at, 'complete', '', '', '', 0, '' FROM completions WHERE provider = ?
UNION ALL SELECT at, action, detail, '', '', 0, who FROM staff_audit WHERE provider = ? AND action IN (?, ?, ?, ?, ?, ?, ?, ?)`

// ProviderTimeline lists what happened with a provider, oldest first.
func (d *DB) ProviderTimeline(ctx context.Context, provider int64) ([]TimelineEvent, error) {
	args := make([]any, 0, 20)
	for range 14 {
		args = append(args, provider)
	}
	// Staff actions that leave no other trace with a time (reviews and
	// request decisions show with their own rows).
	args = append(args, AuditReveal, AuditReissue, AuditPacket, AuditAttachment, AuditPayer, AuditEffective, AuditTicketReply, AuditTicketState)
	rows, err := d.db.QueryContext(ctx, timelineQuery, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineEvent
	for rows.Next() {
		var at, kind, a, b, c, who string
		var n int
		if err := rows.Scan(&at, &kind, &a, &b, &c, &n, &who); err != nil {
			return nil, err
		}
		out = append(out, TimelineEvent{At: at, What: timelineWords(kind, a, b, c, n), Who: who})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Stamps differ in their fractions of a second: order by time, not text.
	slices.SortStableFunc(out, func(x, y TimelineEvent) int { return parseStamp(x.At).Compare(parseStamp(y.At)) })
	return out, nil
}

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// timelineWords says one event in words.
func timelineWords(kind, a, b, c string, n int) string {
	v := " version " + strconv.Itoa(n)
	switch kind {
	case "invited":
		return "Invited at " + a
	case "enrolled":
		return "Enrolled from the app"
	case "submitted":
		return "Sent the " + formName(a) + v
	case "reviewed":
		return "The " + formName(a) + v + " was marked reviewed"
	case "returned":
		return "The " + formName(a) + v + " was returned: " + b
	case "mailed":
		return "Email sent by the network: " + a
	case "reminded":
		return "Reminder sent: " + a
	case "relayed":
		return "Email from the app relayed: " + a
	case "packet":
		return "Support packet " + a + " received"
	case "watched":
		return "Watched the training webinar"
	case "quiz-passed":
		return "Passed the quiz (score " + strconv.Itoa(n) + ")"
	case "quiz-failed":
		return "Took the quiz, not passed (score " + strconv.Itoa(n) + ")"
	case "trained":
		return "Training complete"
	case "requested":
		return "Asked: " + a + " " + b
	case "approved":
		return "Request approved: " + a + " " + b
	case "declined":
		return "Request declined: " + a + " " + b + " (" + c + ")"
	case "ticket":
		return "Asked for help: " + a
	case "complete":
		return "Onboarding complete"
	case AuditReveal:
		return "Revealed " + a
	case AuditReissue:
		return "Invitation reissued (a new computer)"
	case AuditPacket:
		return "Downloaded support packet " + a
	case AuditAttachment:
		return "Opened attachment " + a
	case AuditPayer:
		return "Payer status set: " + a
	case AuditEffective:
		return "Effective date set: " + a
	case AuditTicketReply:
		return "Replied to help request " + strings.TrimPrefix(a, "ticket ")
	case AuditTicketState:
		return "Help request " + strings.TrimPrefix(a, "ticket ")
	}
	return kind + " " + a
}

// formName is a form's name in a sentence.
func formName(id string) string {
	switch id {
	case "general":
		return "General Onboarding form"
	case "credentialing":
		return "Insurance form"
	}
	return id + " form"
}
