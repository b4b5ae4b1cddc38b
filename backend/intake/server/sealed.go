package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/seal"
)

// WithNetworkKey makes the server hand pub to the app at enrollment and
// accept fields sealed to it. Without it the server accepts no sealed
// fields.
func (s *Server) WithNetworkKey(pub seal.PublicKey) *Server {
	s.networkKey = &pub
	return s
}

// networkKeyText is the enrollment answer's NetworkKey.
func (s *Server) networkKeyText() string {
	if s.networkKey == nil {
		return ""
	}
	return s.networkKey.String()
}

// checkSealed refuses a submission whose data carries a sealed field in the
// clear, whose boxes are sealed to a key other than the server's (the app
// pinned another network key), or that names fields the form does not
// seal. Nothing of a refused value is echoed or logged.
func (s *Server) checkSealed(in intake.SubmissionUpload, data forms.Data) error {
	schema, _ := forms.SchemaByID(in.Form)
	sealable := map[string]bool{}
	for _, f := range forms.SealedFields(schema) {
		sealable[f.Name] = true
		if v := data.Fields[f.Name]; v != "" && !forms.IsMask(v) {
			return &apiError{http.StatusUnprocessableEntity, "plaintext-sealed-field",
				fmt.Sprintf("The field %s must reach the network sealed: the data may carry only its mask.", f.Name), nil}
		}
	}
	if len(in.Sealed) == 0 {
		return nil
	}
	if s.networkKey == nil || in.SealedTo != s.networkKey.Fingerprint() {
		return &apiError{http.StatusConflict, "network-key-mismatch",
			"The network's encryption key changed since this computer enrolled: contact support.", nil}
	}
	for name, box := range in.Sealed {
		if !sealable[name] {
			return bad("bad-sealed", fmt.Sprintf("%.40q is not a sealed field of this form.", name))
		}
		if !seal.WellFormed(box) {
			return bad("bad-sealed", fmt.Sprintf("The sealed value of %s is not a sealed box.", name))
		}
	}
	return nil
}

// idempotencyBody is what a submission's Idempotency-Key stands for: the
// upload without its boxes. Each send seals afresh (a sealed box is
// randomized), so a retry after a lost answer carries other boxes for the
// same values; it must replay the first answer, not conflict with it.
func idempotencyBody(in intake.SubmissionUpload) []byte {
	in.Sealed = nil
	raw, _ := json.Marshal(in)
	return raw
}

// storeSealed stores a submission's boxes, in its transaction.
func (d *DB) storeSealed(ctx context.Context, tx *dbTx, provider int64, in intake.SubmissionUpload, now string) error {
	for name, box := range in.Sealed {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sealed_fields (provider, form, version, field, sealed, sealed_to, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, provider, in.Form, in.Version, name, box, in.SealedTo, now); err != nil {
			return fmt.Errorf("store the sealed %s: %w", name, err)
		}
	}
	return nil
}

// RevealRequest is one support person's request to read a sealed field.
type RevealRequest struct {
	Provider int64
	Field    string // a sealed field's name, such as ssn
	Key      seal.PrivateKey
	Who      string // the person (their OS user name, or the name they gave)
	Where    string // the computer it ran on
}

// ErrNotRevealed means the field's box did not open with the key given.
var ErrNotRevealed = errors.New("not revealed")

// Reveal opens the latest submitted value of a provider's sealed field.
// Every attempt that finds a value is written to the append-only audit
// first, whether the key opens it or not; without the audit row nothing
// is revealed.
func (d *DB) Reveal(ctx context.Context, r RevealRequest) (string, error) {
	return d.reveal(ctx, r, nil)
}

// RevealAs is Reveal by a staff member in the console (with the key the
// server holds): the reveal audit and the staff audit each get their row,
// in one transaction, before anything is revealed.
func (d *DB) RevealAs(ctx context.Context, by Staff, host string, provider int64, field string, key seal.PrivateKey) (string, error) {
	return d.reveal(ctx, RevealRequest{Provider: provider, Field: field, Key: key, Who: by.Email, Where: host},
		&AuditEntry{Staff: by.ID, Who: by.Email, Action: AuditReveal, Provider: provider, Host: host})
}

func (d *DB) reveal(ctx context.Context, r RevealRequest, staff *AuditEntry) (string, error) {
	var form, box, sealedTo string
	var version int
	err := d.db.QueryRowContext(ctx, `SELECT form, version, sealed, sealed_to FROM sealed_fields
		WHERE provider = ? AND field = ? ORDER BY version DESC LIMIT 1`, r.Provider, r.Field).Scan(&form, &version, &box, &sealedTo)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: provider %d sent no sealed %s", ErrNotFound, r.Provider, r.Field)
	}
	if err != nil {
		return "", err
	}
	fp := r.Key.Public().Fingerprint()
	value, openErr := seal.Open(r.Key, forms.SecretName(form, r.Field), box)
	outcome := "revealed"
	switch {
	case sealedTo != fp:
		outcome, value, openErr = "refused: another key", nil, fmt.Errorf("%w: %s version %d was sealed to the network key %s…, not to this key (%s…)", ErrNotRevealed, form, version, sealedTo[:12], fp[:12])
	case openErr != nil:
		outcome, openErr = "refused: did not open", fmt.Errorf("%w: %w", ErrNotRevealed, openErr)
	}
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO reveal_audit (at, who, provider, form, version, field, host, key, outcome)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.stamp(), r.Who, r.Provider, form, version, r.Field, r.Where, fp, outcome); err != nil {
		return "", fmt.Errorf("write the reveal audit (nothing was revealed): %w", err)
	}
	if staff != nil {
		a := *staff
		a.Detail = fmt.Sprintf("%s %s version %d: %s", r.Field, form, version, outcome)
		if err := d.audit(ctx, tx, a); err != nil {
			return "", fmt.Errorf("write the staff audit (nothing was revealed): %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("write the reveal audit (nothing was revealed): %w", err)
	}
	if openErr != nil {
		return "", openErr
	}
	return string(value), nil
}

// RevealRecord is one row of the reveal audit.
type RevealRecord struct {
	ID       int64  `json:"id"`
	At       string `json:"at"`
	Who      string `json:"who"`
	Provider int64  `json:"provider"`
	Form     string `json:"form"`
	Version  int    `json:"version"`
	Field    string `json:"field"`
	Host     string `json:"host"`
	Key      string `json:"key"`
	Outcome  string `json:"outcome"`
}

// RevealAudit lists the reveal audit, oldest first: every provider's when
// provider is 0.
func (d *DB) RevealAudit(ctx context.Context, provider int64) ([]RevealRecord, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, at, who, provider, form, version, field, host, key, outcome
		FROM reveal_audit WHERE ? = 0 OR provider = ? ORDER BY id`, provider, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RevealRecord
	for rows.Next() {
		var r RevealRecord
		if err := rows.Scan(&r.ID, &r.At, &r.Who, &r.Provider, &r.Form, &r.Version, &r.Field, &r.Host, &r.Key, &r.Outcome); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SealedSent is one sealed field a provider sent: its latest version.
type SealedSent struct {
	Form       string
	Field      string
	Version    int
	ReceivedAt string
}

// SealedFieldsSent lists the sealed fields a provider sent, each at its
// latest version, by form and field.
func (d *DB) SealedFieldsSent(ctx context.Context, provider int64) ([]SealedSent, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT s.form, s.field, s.version, s.received_at FROM sealed_fields s
		WHERE s.provider = ? AND s.version = (SELECT MAX(version) FROM sealed_fields WHERE provider = s.provider AND field = s.field)
		ORDER BY s.form, s.field`, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SealedSent
	for rows.Next() {
		var f SealedSent
		if err := rows.Scan(&f.Form, &f.Field, &f.Version, &f.ReceivedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// NetworkKey is the public key the server accepts sealed fields for, or
// nil.
func (s *Server) NetworkKey() *seal.PublicKey { return s.networkKey }
