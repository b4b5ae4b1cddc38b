package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"onramp/backend/intake"
)

// Insurance & Directories: the network's catalogue of payers and programs,
// the provider's status in each, and the requests a provider makes to join
// or leave one, which support approves or declines. Each action is one
// function here, called by the API, the CLI and (later) the support console.

// CatalogueEntry is one payer or program the network offers.
type CatalogueEntry struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	AddedAt string `json:"addedAt"`
}

// Catalogue lists the network's payers, then its programs, by name.
func (d *DB) Catalogue(ctx context.Context) ([]CatalogueEntry, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT name, kind, added_at FROM offerings ORDER BY kind, lower(name)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CatalogueEntry
	for rows.Next() {
		var c CatalogueEntry
		if err := rows.Scan(&c.Name, &c.Kind, &c.AddedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddOffering adds a payer or program to the network's catalogue.
func (d *DB) AddOffering(ctx context.Context, name, kind string) error {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > intake.MaxOfferingName {
		return fmt.Errorf("name the payer or program (%d characters at most)", intake.MaxOfferingName)
	}
	if kind != intake.OfferingPayer && kind != intake.OfferingProgram {
		return fmt.Errorf("the kind must be %s or %s", intake.OfferingPayer, intake.OfferingProgram)
	}
	res, err := d.db.ExecContext(ctx, `INSERT INTO offerings (name, kind, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		name, kind, d.stamp())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s is already in the list", name)
	}
	return nil
}

// RemoveOffering takes a payer or program off the catalogue: providers can
// no longer ask to join it. Those credentialed or enrolled keep their
// status, and the feed still shows it to them.
func (d *DB) RemoveOffering(ctx context.Context, name string) error {
	res, err := d.db.ExecContext(ctx, `DELETE FROM offerings WHERE lower(name) = lower(?)`, strings.TrimSpace(name))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: no payer or program named %q", ErrNotFound, name)
	}
	return nil
}

// offeringsFor is the catalogue with the provider's status in each, and
// any payer or program the provider is in that the catalogue no longer
// lists: payers first, then programs, by name.
func offeringsFor(ctx context.Context, q querier, provider int64) ([]intake.Offering, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, kind, status, enrolled FROM (
		SELECT o.name AS name, o.kind AS kind, p.status AS status, CASE WHEN e.program IS NULL THEN 0 ELSE 1 END AS enrolled
		FROM offerings o
		LEFT JOIN payers p ON o.kind = 'payer' AND p.provider = ?1 AND lower(o.name) = lower(p.payer)
		LEFT JOIN enrollments e ON o.kind = 'program' AND e.provider = ?1 AND lower(o.name) = lower(e.program)
		UNION
		SELECT payer, 'payer', status, 0 FROM payers WHERE provider = ?1 AND NOT EXISTS (SELECT 1 FROM offerings WHERE lower(name) = lower(payer))
		UNION
		SELECT program, 'program', NULL, 1 FROM enrollments WHERE provider = ?1 AND NOT EXISTS (SELECT 1 FROM offerings WHERE lower(name) = lower(program))
		) AS catalogue ORDER BY kind, lower(name)`, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []intake.Offering{}
	for rows.Next() {
		var o intake.Offering
		var status sql.NullString
		var enrolled bool
		if err := rows.Scan(&o.Name, &o.Kind, &status, &enrolled); err != nil {
			return nil, err
		}
		o.Status = offeringStatus(o.Kind, status, enrolled)
		out = append(out, o)
	}
	return out, rows.Err()
}

// offeringStatus is a payer's status (none: not credentialed) or whether
// the provider is enrolled in a program.
func offeringStatus(kind string, status sql.NullString, enrolled bool) string {
	switch {
	case kind == intake.OfferingProgram && enrolled:
		return intake.Enrolled
	case kind == intake.OfferingProgram:
		return intake.NotEnrolled
	case status.Valid:
		return status.String
	}
	return intake.NotCredentialed
}

// requestsFor lists a provider's requests, oldest first.
func requestsFor(ctx context.Context, q querier, provider int64) ([]intake.RequestStatus, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, ref, kind, target, reason, state, decision, created_at, decided_at
		FROM requests WHERE provider = ? ORDER BY id`, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []intake.RequestStatus{}
	for rows.Next() {
		var r intake.RequestStatus
		if err := rows.Scan(&r.ID, &r.Ref, &r.Kind, &r.Target, &r.Reason, &r.State, &r.Decision, &r.CreatedAt, &r.DecidedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// directories fills the status feed's Offerings and Requests.
func (d *DB) directories(ctx context.Context, st *intake.Status, provider int64) error {
	var err error
	if st.Offerings, err = offeringsFor(ctx, d.db, provider); err != nil {
		return err
	}
	st.Requests, err = requestsFor(ctx, d.db, provider)
	return err
}

func conflict(code, msg string) *apiError { return &apiError{http.StatusConflict, code, msg, nil} }

// createRequest records an Insurance & Directories request (POST
// /v1/requests). The same Ref with the same request answers with the one
// recorded; with another request it is a conflict.
func (s *Server) createRequest(ctx context.Context, req request) (int, any, error) {
	var in intake.DirectoryRequest
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	in.Ref, in.Target, in.Reason = strings.TrimSpace(in.Ref), strings.TrimSpace(in.Target), strings.TrimSpace(in.Reason)
	if in.Ref == "" || len(in.Ref) > 100 {
		return 0, nil, bad("bad-request", "Give the request a ref (at most 100 characters): the app's own ID for it.")
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM portal_passwords WHERE provider = ?`, req.provider).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return 0, nil, conflict("no-portal", "Insurance & Directories opens once your portal password is created.")
		} else if err != nil {
			return 0, nil, err
		}
		var prior intake.RequestStatus
		err := tx.QueryRowContext(ctx, `SELECT id, kind, target, reason, state, decision, created_at, decided_at FROM requests WHERE provider = ? AND ref = ?`,
			req.provider, in.Ref).Scan(&prior.ID, &prior.Kind, &prior.Target, &prior.Reason, &prior.State, &prior.Decision, &prior.CreatedAt, &prior.DecidedAt)
		switch {
		case err == nil && prior.Kind == in.Kind && strings.EqualFold(prior.Target, in.Target) && prior.Reason == in.Reason:
			prior.Ref = in.Ref
			return http.StatusOK, prior, nil
		case err == nil:
			return 0, nil, conflict("ref-conflict", "This request's ref was already used for a different request.")
		case !errors.Is(err, sql.ErrNoRows):
			return 0, nil, err
		}
		if err := checkRequest(ctx, tx, req.provider, &in); err != nil {
			return 0, nil, err
		}
		now := s.db.stamp()
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO requests (provider, ref, kind, target, reason, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			req.provider, in.Ref, in.Kind, in.Target, in.Reason, now).Scan(&id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, intake.RequestStatus{ID: id, Ref: in.Ref, Kind: in.Kind, Target: in.Target, Reason: in.Reason,
			State: intake.RequestPending, CreatedAt: now}, nil
	})
}

// checkRequest refuses a request the provider's current status does not
// allow (intake.RequestProblem), one about a payer or program the network
// does not offer, and a second one while the same is pending. The target
// takes the catalogue's spelling.
func checkRequest(ctx context.Context, q querier, provider int64, in *intake.DirectoryRequest) error {
	offers, err := offeringsFor(ctx, q, provider)
	if err != nil {
		return err
	}
	var target *intake.Offering
	for i := range offers {
		if strings.EqualFold(offers[i].Name, in.Target) {
			target = &offers[i]
		}
	}
	if target == nil {
		return bad("unknown-offering", fmt.Sprintf("The network offers no payer or program named %q.", in.Target))
	}
	if p := intake.RequestInputProblem(in.Kind, *target, in.Reason); p != "" {
		return bad("bad-request", p)
	}
	if p := intake.RequestStatusProblem(in.Kind, *target); p != "" {
		return conflict("not-allowed", p)
	}
	in.Target = target.Name
	var pending int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests WHERE provider = ? AND kind = ? AND lower(target) = lower(?) AND state = ?`,
		provider, in.Kind, in.Target, intake.RequestPending).Scan(&pending); err != nil {
		return err
	}
	if pending > 0 {
		return conflict("already-pending", fmt.Sprintf("You already asked for this (%s); support has not answered yet.", intake.RequestLabel(in.Kind, target.Name)))
	}
	return nil
}
