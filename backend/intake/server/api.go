package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"onramp/backend/intake"
	"onramp/backend/packet"
	"onramp/backend/seal"
	"onramp/backend/strictjson"
	"onramp/backend/validate"
)

// MaxBody is the largest request body accepted (a form version is at most
// 1 MiB of data).
const MaxBody = 2 << 20

// Server serves the API.
type Server struct {
	db          *DB
	packetLimit int64             // largest packet upload; MaxPacketBody
	portalURL   string            // where providers log into the portal; see WithPortal
	mailRoute   *intake.MailRoute // the mail submission service, when it runs
	// networkKey is the network's public encryption key (WithNetworkKey);
	// nil when the server accepts no sealed fields.
	networkKey *seal.PublicKey
	log        *slog.Logger
	requestLog bool         // a line for every request: with WithLogger
	console    http.Handler // the staff console at /console/: WithConsole
	metrics    *Metrics
}

// Option configures a Server.
type Option func(*Server)

// NewServer builds the API over the database.
func NewServer(db *DB, opts ...Option) *Server {
	s := &Server{db: db, packetLimit: MaxPacketBody, log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	if s.metrics == nil {
		s.metrics = NewMetrics(db)
	}
	return s
}

// WithLogger logs every request, and errors, to l (NewLogHandler's JSON
// lines in serve). Without it errors go to slog's default logger and
// requests are not logged (the tests' servers).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log, s.requestLog = l, true } }

// WithConsole serves the staff console (package console) at /console/.
func WithConsole(h http.Handler) Option { return func(s *Server) { s.console = h } }

// WithMetrics counts into m, shared with the Mailer.
func WithMetrics(m *Metrics) Option { return func(s *Server) { s.metrics = m } }

// WithPortal sets the portal's address the status feed gives a provider
// whose portal password exists; without it the feed gives no portal
// access (there is nowhere to lead).
func (s *Server) WithPortal(url string) *Server {
	s.portalURL = url
	return s
}

// apiError is a 4xx/5xx answer with a stable code and plain words;
// Problems lists what the packet reader found in a refused packet.
type apiError struct {
	Status   int
	Code     string
	Message  string
	Problems []packet.Problem
}

func (e *apiError) Error() string { return e.Message }

func bad(code, msg string) *apiError { return &apiError{http.StatusBadRequest, code, msg, nil} }

// Handler routes the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", s.metrics.handler())
	if s.console != nil {
		mux.Handle("/console/", s.console)
		// A browser asks for the site's icon at its root.
		mux.Handle("GET /favicon.ico", s.console)
	}
	mux.HandleFunc("POST /v1/enroll", s.handle(false, s.enroll))
	mux.HandleFunc("GET /v1/status", s.handle(true, s.statusFeed))
	mux.HandleFunc("POST /v1/submissions", s.handle(true, s.submit))
	mux.HandleFunc("POST /v1/portal-password", s.handle(true, s.portalPassword))
	mux.HandleFunc("POST /v1/help", s.handle(true, s.help))
	mux.HandleFunc("POST /v1/requests", s.handle(true, s.createRequest))
	mux.HandleFunc("POST /v1/packets", s.handleUpTo(true, s.packetLimit, s.uploadPacket))
	mux.HandleFunc("POST /v1/training", s.handle(true, s.trainingReport))
	mux.HandleFunc("POST /v1/start-date", s.handle(true, s.startDateReport))
	mux.HandleFunc("POST /v1/checklist", s.handle(true, s.checklistReport))
	mux.HandleFunc("POST /v1/app-version", s.handle(true, s.appVersionReport))
	mux.HandleFunc("GET /v1/releases/latest", s.handle(true, s.latestReleaseAnswer))
	mux.HandleFunc("GET /v1/releases/{id}/file", s.releaseFile)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{http.StatusNotFound, "not-found", "No such endpoint.", nil})
	})
	return s.observe(mux)
}

// request is what a handler gets: the authenticated provider (0 for
// enrollment) and the body, already size-limited and read.
type request struct {
	provider int64
	body     []byte
	r        *http.Request
}

type handlerFunc func(ctx context.Context, req request) (int, any, error)

// handle authenticates, limits and reads the body, and turns errors into
// JSON answers; panics become a 500 without details.
func (s *Server) handle(auth bool, fn handlerFunc) http.HandlerFunc {
	return s.handleUpTo(auth, MaxBody, fn)
}

// uploadTime is how long a request allowed a body over MaxBody may take to
// arrive and be answered: 200 MiB over a slow office line, not the 60
// seconds the server gives everything else.
const uploadTime = 30 * time.Minute

// handleUpTo is handle with a body limit of its own.
func (s *Server) handleUpTo(auth bool, limit int64, fn handlerFunc) http.HandlerFunc {
	tooLarge := &apiError{http.StatusRequestEntityTooLarge, "too-large", fmt.Sprintf("The request body is over %d MiB.", limit>>20), nil}
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				writeError(w, &apiError{http.StatusInternalServerError, "internal", "Something went wrong on the server.", nil})
			}
		}()
		req := request{r: r}
		if auth {
			p, err := s.db.authenticate(r.Context(), r.Header.Get("Authorization"))
			if err != nil {
				writeError(w, s.failure(r.Context(), err))
				return
			}
			req.provider = p
		}
		if r.ContentLength > limit {
			writeError(w, tooLarge)
			return
		}
		if limit > MaxBody {
			rc := http.NewResponseController(w)
			rc.SetReadDeadline(time.Now().Add(uploadTime))
			rc.SetWriteDeadline(time.Now().Add(uploadTime))
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			var mbe *http.MaxBytesError
			if !errors.As(err, &mbe) {
				// The client hung up or stalled: nobody is waiting for an answer.
				return
			}
			writeError(w, tooLarge)
			return
		}
		req.body = body
		status, resp, err := s.retrying(r.Context(), func() (int, any, error) { return fn(r.Context(), req) })
		if err != nil {
			writeError(w, s.failure(r.Context(), err))
			return
		}
		if raw, ok := resp.(json.RawMessage); ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write(raw)
			return
		}
		writeJSON(w, status, resp)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if errors.As(err, &ae) && ae.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	if !errors.As(err, &ae) {
		ae = &apiError{http.StatusInternalServerError, "internal", "Something went wrong on the server.", nil}
	}
	body := map[string]any{"code": ae.Code, "message": ae.Message}
	if len(ae.Problems) > 0 {
		body["problems"] = ae.Problems
	}
	writeJSON(w, ae.Status, map[string]any{"error": body})
}

// decode reads a JSON object strictly into v.
func decode(body []byte, v any) error {
	if err := strictjson.Decode(body, v); errors.Is(err, strictjson.ErrTrailing) {
		return bad("bad-json", "The body has more than one JSON value.")
	} else if err != nil {
		return bad("bad-json", "The body is not the expected JSON: "+err.Error())
	}
	return nil
}

func (d *DB) authenticate(ctx context.Context, header string) (int64, error) {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || token == "" {
		return 0, &apiError{http.StatusUnauthorized, "no-token", "Send the provider token as 'Authorization: Bearer …'.", nil}
	}
	var id int64
	err := d.db.QueryRowContext(ctx, `SELECT id FROM providers WHERE token_hash = ?`, tokenHash(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, &apiError{http.StatusUnauthorized, "bad-token", "This token is not valid. Enroll again with your invitation code.", nil}
	}
	return id, err
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// idempotent runs a write once per Idempotency-Key: a retry with the same
// key and body gets the first answer; the same key with another body is a
// conflict. The write and the key are stored in one transaction.
func (s *Server) idempotent(ctx context.Context, req request, write func(tx *dbTx) (int, any, error)) (int, any, error) {
	key, err := idempotencyKey(req)
	if err != nil {
		return 0, nil, err
	}
	sum := sha256.Sum256(append([]byte(req.r.Method+" "+req.r.URL.Path+"\n"), req.body...))
	reqHash := hex.EncodeToString(sum[:])
	tx, err := s.db.db.BeginTx(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback()
	if err := tx.lockProvider(ctx, req.provider); err != nil {
		return 0, nil, err
	}
	var storedHash, response string
	var status int
	err = tx.QueryRowContext(ctx, `SELECT request_hash, status, response FROM idempotency WHERE provider = ? AND key = ?`,
		req.provider, key).Scan(&storedHash, &status, &response)
	switch {
	case err == nil && storedHash == reqHash:
		return status, json.RawMessage(response), nil
	case err == nil:
		return 0, nil, &apiError{http.StatusConflict, "idempotency-conflict", "This Idempotency-Key was already used for a different request.", nil}
	case !errors.Is(err, sql.ErrNoRows):
		return 0, nil, err
	}
	status, resp, err := write(tx)
	if err != nil {
		return 0, nil, err
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		return 0, nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency (provider, key, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		req.provider, key, reqHash, status, string(raw), s.db.stamp()); err != nil {
		return 0, nil, err
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	s.metrics.accepted.WithLabelValues(req.r.Pattern).Inc()
	return status, json.RawMessage(raw), nil
}

func idempotencyKey(req request) (string, error) {
	key := req.r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 200 {
		return "", bad("no-idempotency-key", "Every write needs an Idempotency-Key header (at most 200 characters).")
	}
	return key, nil
}

// enroll trades an invitation code for a provider token. The same
// installation may enroll again (its earlier token stops working); another
// installation may not use a code already used.
func (s *Server) enroll(ctx context.Context, req request) (int, any, error) {
	var in intake.EnrollRequest
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	if err := validate.InvitationCode(in.InvitationCode); err != nil {
		return 0, nil, bad("bad-invitation", err.Error())
	}
	if in.Installation == "" || len(in.Installation) > 100 || len(in.Name) > 200 {
		return 0, nil, bad("bad-request", "Give the installation ID (at most 100 characters) and a name (at most 200).")
	}
	signingKey := ""
	if in.SigningKey != "" {
		fp, ok := packet.NormalizeKeyFingerprint(in.SigningKey)
		if !ok {
			return 0, nil, bad("bad-request", "The signing key must be a key fingerprint: 64 hexadecimal digits.")
		}
		signingKey = fp
	}
	code := validate.FormatInvitationCode(in.InvitationCode)
	token := make([]byte, 32)
	if _, err := rand.Read(token); err != nil {
		return 0, nil, err
	}
	tok := hex.EncodeToString(token)
	tx, err := s.db.db.BeginTx(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback()
	var email string
	var provider sql.NullInt64
	// Two enrollments with one code, at once on two instances: one waits.
	if err := tx.eng.lockRows(ctx, tx, `SELECT code FROM invitations WHERE code = ?`, code); err != nil {
		return 0, nil, err
	}
	err = tx.QueryRowContext(ctx, `SELECT email, provider FROM invitations WHERE code = ?`, code).Scan(&email, &provider)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, &apiError{http.StatusNotFound, "unknown-invitation", "This invitation code is not known. Check it against your welcome email.", nil}
	}
	if err != nil {
		return 0, nil, err
	}
	var id int64
	if provider.Valid {
		var installation string
		if err := tx.QueryRowContext(ctx, `SELECT installation FROM providers WHERE id = ?`, provider.Int64).Scan(&installation); err != nil {
			return 0, nil, err
		}
		// An empty installation is a provider support reissued an
		// invitation for (Reissue): the first computer to enroll takes it.
		if installation != "" && installation != in.Installation {
			return 0, nil, &apiError{http.StatusConflict, "invitation-used", "This invitation code was already used on another computer. Ask support for a new invitation code for this one.", nil}
		}
		id = provider.Int64
		// The address the provider set up this computer with replaces the
		// one an earlier enrollment gave: the mail submission service lets
		// them write to the address their app uses now, not to every
		// address they ever typed.
		if _, err := tx.ExecContext(ctx, `UPDATE providers SET token_hash = ?, installation = ?, enrolled_email = ? WHERE id = ?`,
			tokenHash(tok), in.Installation, enrolledEmail(in.Email), id); err != nil {
			return 0, nil, err
		}
	} else {
		err := tx.QueryRowContext(ctx, `INSERT INTO providers (email, name, installation, token_hash, created_at, enrolled_email) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			email, strings.TrimSpace(in.Name), in.Installation, tokenHash(tok), s.db.stamp(), enrolledEmail(in.Email)).Scan(&id)
		if err != nil {
			return 0, nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET provider = ? WHERE code = ?`, id, code); err != nil {
			return 0, nil, err
		}
	}
	if signingKey != "" {
		// The key the invitation code vouches for; an earlier one stays
		// (support's forget-key makes room for a new computer's).
		if _, err := tx.ExecContext(ctx, `INSERT INTO packet_keys (provider, signer, first_seen) VALUES (?, ?, ?) ON CONFLICT (provider) DO NOTHING`,
			id, signingKey, s.db.stamp()); err != nil {
			return 0, nil, err
		}
	}
	versions, err := otherVersions(ctx, tx, id, in.Installation)
	if err != nil {
		return 0, nil, err
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, intake.EnrollResponse{ProviderID: id, Token: tok, NetworkKey: s.networkKeyText(), Mail: s.mailRouteFor(id),
		Versions: versions}, nil
}

// ready answers /readyz: 200 once the database answers and its schema is
// the one this build expects, else 503 with the reason, so that a load
// balancer sends no request to an instance that would fail it. (/healthz
// says only that the process is alive.)
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	have, want, err := s.db.SchemaVersion(ctx)
	answer := map[string]any{"ready": false, "engine": s.db.Engine(), "schemaVersion": have, "expectedSchemaVersion": want}
	switch {
	case err != nil:
		answer["reason"] = "The database does not answer: " + err.Error()
	case have < want:
		answer["reason"] = fmt.Sprintf("The database's schema is at version %d, this server needs %d: run onramp-intake migrate.", have, want)
	case have > want:
		answer["reason"] = fmt.Sprintf("The database's schema is at version %d, newer than this server knows (%d): run the newer server.", have, want)
	default:
		answer["ready"] = true
		writeJSON(w, http.StatusOK, answer)
		return
	}
	w.Header().Set("Retry-After", "5")
	writeJSON(w, http.StatusServiceUnavailable, answer)
}
