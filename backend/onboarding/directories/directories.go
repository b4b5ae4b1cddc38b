// Package directories is Insurance & Directories on the provider's side:
// the network's payers and programs with the provider's status in each, as
// the last sync brought them, and the provider's requests to join or leave
// one. A request is queued in the outbox (syncing sends it) and shows as
// pending until the status feed reports support's decision.
package directories

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/store"
)

// KindRequest is the outbox kind of a request to the intake server.
const KindRequest = "directory-request"

// feedSetting keeps the feed's offerings and requests from the last sync;
// refusedSetting the requests the network refused on arrival, which its
// feed never lists (it keeps no record of them).
const (
	feedSetting    = "directories/feed"
	refusedSetting = "directories/refused"
)

// RequestRefused is the state of a request the network refused on arrival
// (support changed the status meanwhile, or the same was already asked):
// final, like a decline. Sending it again cannot help (its ref is the
// same), so it is never offered for a retry; the provider asks anew if the
// request is still wanted.
const RequestRefused = "refused"

// ErrLocked means Insurance & Directories is not open yet.
var ErrLocked = errors.New("Insurance & Directories opens once your portal password is created")

// Service lists offerings and requests and queues new requests.
type Service struct {
	store *store.Store
	now   func() time.Time
}

// New builds the service over the app's store.
func New(st *store.Store, now func() time.Time) *Service { return &Service{store: st, now: now} }

// feed is what the last status feed said.
type feed struct {
	Offerings []intake.Offering      `json:"offerings"`
	Requests  []intake.RequestStatus `json:"requests"`
	At        string                 `json:"at"`
}

// Record keeps the feed's offerings and requests; syncing calls it with
// every status feed it applies. A payer the provider was unenrolled from
// is gone from the feed's payers: the dashboard forgets it too.
func (s *Service) Record(ctx context.Context, st intake.Status) error {
	raw, err := json.Marshal(feed{Offerings: st.Offerings, Requests: st.Requests, At: s.now().UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	payers := make([]string, len(st.Payers))
	for i, p := range st.Payers {
		payers[i] = p.Payer
	}
	if err := s.store.KeepPayers(ctx, payers); err != nil {
		return err
	}
	return s.store.SetSetting(ctx, feedSetting, string(raw))
}

func (s *Service) feed(ctx context.Context) (feed, error) {
	var f feed
	raw, err := s.store.Setting(ctx, feedSetting)
	if err != nil || raw == "" {
		return f, err
	}
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		return feed{}, fmt.Errorf("read the network's list from the last sync: %w", err)
	}
	return f, nil
}

// Offering is one payer or program as the screen shows it.
type Offering struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Status      string `json:"status"`
	StatusLabel string `json:"statusLabel"`
	// Actions are the requests the provider may make about it now; none
	// while one of theirs about it is pending.
	Actions []Action `json:"actions"`
	Pending string   `json:"pending,omitempty"` // the pending request's words
}

// Action is one request the provider may make.
type Action struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

// Request is one of the provider's requests as the screen shows it.
type Request struct {
	Ref    string `json:"ref"`
	Kind   string `json:"kind"`
	Target string `json:"target"`
	Label  string `json:"label"`
	Reason string `json:"reason"`
	// State is pending, approved or declined as the network said,
	// RequestRefused when the network refused it on arrival, or "failed"
	// when it could not be sent (Decision says why, in both cases).
	State     string `json:"state"`
	Decision  string `json:"decision,omitempty"`
	AskedAt   string `json:"askedAt"` // RFC 3339
	DecidedAt string `json:"decidedAt,omitempty"`
	// AskedOn and DecidedOn are the same as local dates (YYYY-MM-DD), for
	// the screen.
	AskedOn   string `json:"askedOn"`
	DecidedOn string `json:"decidedOn,omitempty"`
}

// View is the Insurance & Directories screen.
type View struct {
	Locked    bool       `json:"locked"`
	Reason    string     `json:"reason,omitempty"` // why it is locked
	Offerings []Offering `json:"offerings"`
	Requests  []Request  `json:"requests"` // newest first
	SyncedAt  string     `json:"syncedAt,omitempty"`
}

// View lists the network's payers and programs and the provider's
// requests: the feed's, and those still in the outbox.
func (s *Service) View(ctx context.Context) (View, error) {
	v := View{Offerings: []Offering{}, Requests: []Request{}}
	m, err := s.store.Milestones(ctx)
	if err != nil {
		return v, err
	}
	if _, ok := m[store.MilestonePortalCreated]; !ok {
		v.Locked, v.Reason = true, "Insurance & Directories opens once your portal password is created, after the network has reviewed both of your forms."
		return v, nil
	}
	f, err := s.feed(ctx)
	if err != nil {
		return v, err
	}
	v.SyncedAt = f.At
	if v.Requests, err = s.requests(ctx, f); err != nil {
		return v, err
	}
	pending := map[string]string{}
	for _, r := range v.Requests {
		if r.State == intake.RequestPending {
			pending[strings.ToLower(r.Target)] = r.Label
		}
	}
	for _, o := range f.Offerings {
		view := Offering{Name: o.Name, Kind: o.Kind, Status: o.Status, StatusLabel: statusLabel(o.Status),
			Actions: []Action{}, Pending: pending[strings.ToLower(o.Name)]}
		if view.Pending == "" {
			for _, kind := range []string{intake.RequestAddPayer, intake.RequestUnenrollPayer, intake.RequestEnrollProgram, intake.RequestLeaveProgram} {
				if intake.RequestInputProblem(kind, o, "-") == "" && intake.RequestStatusProblem(kind, o) == "" {
					view.Actions = append(view.Actions, Action{Kind: kind, Label: intake.RequestLabel(kind, o.Name)})
				}
			}
		}
		v.Offerings = append(v.Offerings, view)
	}
	return v, nil
}

// statusLabel is the words for the provider's status in an offering.
func statusLabel(status string) string {
	switch status {
	case intake.NotCredentialed:
		return "Not credentialed"
	case intake.Enrolled:
		return "Enrolled"
	case intake.NotEnrolled:
		return "Not enrolled"
	}
	return intake.PayerLabel(status)
}

// requests merges the feed's requests with those the outbox holds that the
// feed does not report yet, newest first.
func (s *Service) requests(ctx context.Context, f feed) ([]Request, error) {
	out := []Request{}
	known := map[string]bool{}
	for _, r := range f.Requests {
		known[r.Ref] = true
		out = append(out, Request{Ref: r.Ref, Kind: r.Kind, Target: r.Target, Label: intake.RequestLabel(r.Kind, r.Target), Reason: r.Reason,
			State: r.State, Decision: r.Decision, AskedAt: r.CreatedAt, DecidedAt: r.DecidedAt})
	}
	items, err := s.store.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	refused, err := s.refusals(ctx)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.Kind != KindRequest {
			continue
		}
		var r intake.DirectoryRequest
		if err := json.Unmarshal(it.Payload, &r); err != nil || known[r.Ref] {
			continue
		}
		q := Request{Ref: r.Ref, Kind: r.Kind, Target: r.Target, Label: intake.RequestLabel(r.Kind, r.Target), Reason: r.Reason,
			State: intake.RequestPending, AskedAt: it.CreatedAt.UTC().Format(time.RFC3339Nano)}
		switch no, ok := refused[r.Ref]; {
		case ok:
			q.State, q.Decision, q.DecidedAt = RequestRefused, no.Message, no.At
		case it.State == store.OutboxFailed:
			q.State, q.Decision = "failed", it.LastError
		}
		out = append(out, q)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].AskedAt > out[j].AskedAt })
	for i := range out {
		out[i].AskedOn, out[i].DecidedOn = localDate(out[i].AskedAt), localDate(out[i].DecidedAt)
	}
	return out, nil
}

// localDate is the local date of an RFC 3339 time ("" when there is none).
func localDate(at string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return ""
	}
	return t.Local().Format("2006-01-02")
}

// Ask queues a request about one of the network's payers or programs. A
// request the provider's status does not allow, or a second one about the
// same offering while one is pending, comes back as a problem on a field.
func (s *Service) Ask(ctx context.Context, kind, target, reason string) (*forms.Problem, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	if v.Locked {
		return nil, ErrLocked
	}
	reason = strings.TrimSpace(reason)
	var o *Offering
	for i := range v.Offerings {
		if v.Offerings[i].Name == target {
			o = &v.Offerings[i]
		}
	}
	if o == nil {
		return &forms.Problem{Field: "target", Code: "unknown-offering", Message: fmt.Sprintf("The network's list has no %q: sync, then choose from the list.", target)}, nil
	}
	if o.Pending != "" {
		return &forms.Problem{Field: "target", Code: "already-pending", Message: fmt.Sprintf("You already asked (%s); support has not answered yet.", o.Pending)}, nil
	}
	wire := intake.Offering{Name: o.Name, Kind: o.Kind, Status: o.Status}
	if p := intake.RequestInputProblem(kind, wire, reason); p != "" {
		return &forms.Problem{Field: "reason", Code: "invalid", Message: p}, nil
	}
	if p := intake.RequestStatusProblem(kind, wire); p != "" {
		return &forms.Problem{Field: "target", Code: "not-allowed", Message: p}, nil
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	ref := hex.EncodeToString(b)
	payload, err := json.Marshal(intake.DirectoryRequest{Ref: ref, Kind: kind, Target: o.Name, Reason: reason})
	if err != nil {
		return nil, err
	}
	_, err = s.store.Enqueue(ctx, store.OutboxItem{Kind: KindRequest, IdempotencyKey: "request/" + ref, Payload: payload, CreatedAt: s.now()})
	return nil, err
}

// Send sends one queued request through the intake client. A refusal on
// arrival is the network's answer, not a failure to send: it is kept, with
// the network's words, and the item counts as delivered, so the outbox
// never offers a retry that would be refused again.
func (s *Service) Send(ctx context.Context, c *intake.Client, it store.OutboxItem) error {
	var r intake.DirectoryRequest
	if err := json.Unmarshal(it.Payload, &r); err != nil {
		return err
	}
	_, err := c.Request(ctx, it.IdempotencyKey, r)
	var ce *intake.ClientError
	if errors.As(err, &ce) && refusal(ce) {
		return s.refuse(ctx, r.Ref, ce.Message)
	}
	return err
}

// Describe names a queued request for the sync panel.
func Describe(it store.OutboxItem) string {
	var r intake.DirectoryRequest
	json.Unmarshal(it.Payload, &r)
	return "Request: " + intake.RequestLabel(r.Kind, r.Target)
}
