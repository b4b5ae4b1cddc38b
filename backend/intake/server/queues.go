package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/journey"
)

// The console's provider list: one list, filtered to a queue, searched,
// sorted by name and paged.

// Queues a provider list can be filtered to.
const (
	QueueAll            = ""
	QueueAwaitingReview = "awaiting-review"  // a form's latest version not reviewed or returned yet
	QueueReturned       = "returned"         // a form's latest version returned to the provider
	QueueOpenRequests   = "open-requests"    // an Insurance & Directories request waiting for support
	QueueGuidanceLate   = "guidance-overdue" // a guidance email not sent by its business day
	QueuePastDay45      = "past-day-45"      // 45 days since the latest Insurance form arrived, no effective date yet
	QueueExpiring       = "expiring"         // a credential expiring within 90 days (or expired)
	QueueOpenTickets    = "open-tickets"     // a help request support has not closed
)

// ExpiringWithinDays is how far ahead the expiring queue looks.
const ExpiringWithinDays = 90

// Queues lists the queues with their names as the console shows them.
func Queues() []struct{ ID, Label string } {
	return []struct{ ID, Label string }{
		{QueueAll, "All providers"},
		{QueueAwaitingReview, "Awaiting review"},
		{QueueReturned, "Returned"},
		{QueueGuidanceLate, "Guidance overdue"},
		{QueuePastDay45, "Past day 45"},
		{QueueExpiring, "Credentials expiring"},
		{QueueOpenTickets, "Open tickets"},
		{QueueOpenRequests, "Open requests"},
	}
}

// ProviderQuery asks for one page of the provider list.
type ProviderQuery struct {
	Queue  string
	Search string // in the name or email, any case, or an NPI
	Sort   string // SortName (the default) or SortEnrolled
	Page   int    // from 1
}

// ProviderRow is one provider in the list.
type ProviderRow struct {
	ID         int64
	Name       string
	Email      string
	EnrolledAt string
	Forms      string // the latest version of each form and its review, as "general v2 received"
}

// The provider list's orders.
const (
	SortName     = ""         // by name
	SortEnrolled = "enrolled" // the newest enrolled first
)

// PageSize is how many providers a page of the list shows.
const PageSize = 50

// ProviderList is one page of the providers in the query's queue that
// match its search, by name, and how many there are in all.
func (d *DB) ProviderList(ctx context.Context, q ProviderQuery) ([]ProviderRow, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	// Each queue is the set of providers an index names (submissions'
	// latest flag: see queueMigration), not a test of every provider.
	switch q.Queue {
	case QueueAwaitingReview:
		where = append(where, `p.id IN (SELECT provider FROM submissions WHERE latest = 1 AND review = 'received')`)
	case QueueReturned:
		where = append(where, `p.id IN (SELECT provider FROM submissions WHERE latest = 1 AND review = 'returned')`)
	case QueueOpenRequests:
		where = append(where, `p.id IN (SELECT provider FROM requests WHERE state = 'pending')`)
	case QueueOpenTickets:
		where = append(where, `p.id IN (SELECT provider FROM tickets WHERE state = 'open')`)
	case QueuePastDay45:
		// The app's rule (journey.Window): 45 days from the network's
		// receipt of the latest Insurance form version, void while that
		// version is returned, ended by an effective date.
		cutoff := journey.Date(d.now()).AddDate(0, 0, -journey.CredentialingWindowDays).Format(time.DateOnly)
		where = append(where, `p.id IN (SELECT provider FROM submissions WHERE form = ? AND latest = 1 AND review <> 'returned' AND received_at < ?)
			AND p.id NOT IN (SELECT provider FROM effective_dates)`)
		args = append(args, forms.FormCredentialing, cutoff)
	case QueueExpiring:
		until := journey.Date(d.now()).AddDate(0, 0, ExpiringWithinDays).Format(time.DateOnly)
		where = append(where, `p.id IN (SELECT provider FROM submissions WHERE form = ? AND latest = 1
			AND earliest_expiry <> '' AND earliest_expiry <= ?)`)
		args = append(args, forms.FormCredentialing, until)
	case QueueGuidanceLate:
		late, err := d.guidanceLate(ctx)
		if err != nil {
			return nil, 0, err
		}
		if len(late) == 0 {
			return nil, 0, nil
		}
		where = append(where, `p.id IN (?`+strings.Repeat(", ?", len(late)-1)+`)`)
		args = append(args, late...)
	}
	if s := strings.TrimSpace(q.Search); s != "" {
		where = append(where, `(lower(p.name) LIKE ? ESCAPE '\' OR lower(p.email) LIKE ? ESCAPE '\' OR p.npi = ?)`)
		pattern := "%" + likeEscape(strings.ToLower(s)) + "%"
		args = append(args, pattern, pattern, s)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM providers p WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	page := max(q.Page, 1)
	order := `lower(p.name), p.id`
	if q.Sort == SortEnrolled {
		order = `p.created_at DESC, p.id DESC`
	}
	rows, err := d.db.QueryContext(ctx, `SELECT p.id, p.name, p.email, p.created_at
		FROM providers p WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, PageSize, (page-1)*PageSize)...)
	if err != nil {
		return nil, 0, err
	}
	var out []ProviderRow
	for rows.Next() {
		var r ProviderRow
		if err := rows.Scan(&r.ID, &r.Name, &r.Email, &r.EnrolledAt); err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, total, err
	}
	return out, total, d.latestForms(ctx, out)
}

// latestForms fills each row's Forms from one query for the whole page.
func (d *DB) latestForms(ctx context.Context, page []ProviderRow) error {
	ids := make([]any, len(page))
	at := map[int64]int{}
	for i, r := range page {
		ids[i], at[r.ID] = r.ID, i
	}
	rows, err := d.db.QueryContext(ctx, `SELECT s.provider, s.form, s.version, s.review FROM submissions s
		WHERE s.provider IN (?`+strings.Repeat(", ?", len(ids)-1)+`)
		AND s.latest = 1
		ORDER BY s.provider, s.form`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var provider int64
		var form, review string
		var version int
		if err := rows.Scan(&provider, &form, &version, &review); err != nil {
			return err
		}
		r := &page[at[provider]]
		if r.Forms != "" {
			r.Forms += ", "
		}
		r.Forms += fmt.Sprintf("%s v%d %s", form, version, review)
	}
	return rows.Err()
}

// guidanceLate lists the providers with a guidance email not sent by its
// business day: the first business day strictly after the step was
// completed (when the email was queued).
func (d *DB) guidanceLate(ctx context.Context) ([]any, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT provider, created_at FROM mail_queue
		WHERE step IN (?, ?, ?, ?) AND provider IS NOT NULL AND state <> 'sent' ORDER BY provider`,
		GuidanceInsurance, GuidanceReview, GuidancePortal, GuidanceTraining)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := journey.Date(d.now())
	var out []any
	var last int64
	for rows.Next() {
		var provider int64
		var created string
		if err := rows.Scan(&provider, &created); err != nil {
			return nil, err
		}
		queued, err := time.Parse(time.RFC3339Nano, created)
		if err != nil || provider == last {
			continue
		}
		if today.After(journey.NextBusinessDay(queued.UTC())) {
			out = append(out, provider)
			last = provider
		}
	}
	return out, rows.Err()
}

// likeEscape makes a search's %, _ and \ match themselves (LIKE … ESCAPE
// '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// ProviderHeader is one provider's row of the list.
func (d *DB) ProviderHeader(ctx context.Context, id int64) (ProviderRow, error) {
	var r ProviderRow
	err := d.db.QueryRowContext(ctx, `SELECT id, name, email, created_at FROM providers WHERE id = ?`, id).
		Scan(&r.ID, &r.Name, &r.Email, &r.EnrolledAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("%w: no provider %d", ErrNotFound, id)
	}
	return r, err
}

// ProviderStatus is the provider's status feed, as the app sees it: the
// forms' versions and reviews, payers, dates, training, requests.
func (d *DB) ProviderStatus(ctx context.Context, id int64) (intake.Status, error) {
	return d.status(ctx, id)
}
