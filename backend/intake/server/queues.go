package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"onramp/backend/intake"
	"strings"
)

// The console's provider list: one list, filtered to a queue, searched,
// sorted by name and paged.

// Queues a provider list can be filtered to.
const (
	QueueAll            = ""
	QueueAwaitingReview = "awaiting-review" // a form's latest version not reviewed or returned yet
	QueueReturned       = "returned"        // a form's latest version returned to the provider
	QueueOpenRequests   = "open-requests"   // an Insurance & Directories request waiting for support
)

// Queues lists the queues with their names as the console shows them.
func Queues() []struct{ ID, Label string } {
	return []struct{ ID, Label string }{
		{QueueAll, "All providers"},
		{QueueAwaitingReview, "Awaiting review"},
		{QueueReturned, "Returned"},
		{QueueOpenRequests, "Open requests"},
	}
}

// ProviderQuery asks for one page of the provider list.
type ProviderQuery struct {
	Queue  string
	Search string // in the name or email, any case
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

// PageSize is how many providers a page of the list shows.
const PageSize = 50

// ProviderList is one page of the providers in the query's queue that
// match its search, by name, and how many there are in all.
func (d *DB) ProviderList(ctx context.Context, q ProviderQuery) ([]ProviderRow, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	latest := `s.version = (SELECT MAX(version) FROM submissions WHERE provider = s.provider AND form = s.form)`
	switch q.Queue {
	case QueueAwaitingReview:
		where = append(where, `EXISTS (SELECT 1 FROM submissions s WHERE s.provider = p.id AND s.review = 'received' AND `+latest+`)`)
	case QueueReturned:
		where = append(where, `EXISTS (SELECT 1 FROM submissions s WHERE s.provider = p.id AND s.review = 'returned' AND `+latest+`)`)
	case QueueOpenRequests:
		where = append(where, `EXISTS (SELECT 1 FROM requests r WHERE r.provider = p.id AND r.state = 'pending')`)
	}
	if s := strings.TrimSpace(q.Search); s != "" {
		where = append(where, `(lower(p.name) LIKE ? ESCAPE '\' OR lower(p.email) LIKE ? ESCAPE '\')`)
		pattern := "%" + likeEscape(strings.ToLower(s)) + "%"
		args = append(args, pattern, pattern)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM providers p WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	page := max(q.Page, 1)
	rows, err := d.db.QueryContext(ctx, `SELECT p.id, p.name, p.email, p.created_at
		FROM providers p WHERE `+cond+` ORDER BY lower(p.name), p.id LIMIT ? OFFSET ?`,
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
		AND s.version = (SELECT MAX(version) FROM submissions WHERE provider = s.provider AND form = s.form)
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
