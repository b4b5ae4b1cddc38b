package onboarding

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/outbox"
	"onramp/backend/store"
)

// SyncReport is what the last sync did and saw.
type SyncReport struct {
	EmailsSent int    `json:"emailsSent"`
	Configured bool   `json:"configured"` // an intake server address is set
	Online     bool   `json:"online"`     // it answered
	Enrolled   bool   `json:"enrolled"`
	At         string `json:"at"` // RFC 3339
	Delivered  int    `json:"delivered"`
	Retrying   int    `json:"retrying"`
	Failed     int    `json:"failed"`
	Error      string `json:"error,omitempty"`
}

// OutboxEntry is one queued item as the sync panel lists it.
type OutboxEntry struct {
	ID        int64  `json:"id"`
	What      string `json:"what"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"lastError,omitempty"`
	NextTry   string `json:"nextTry,omitempty"`
	QueuedAt  string `json:"queuedAt"`
}

const (
	settingInstallation = "installation_id"
	secretToken         = "sync/token"
	clientTimeout       = 20 * time.Second
)

// ErrOffline means the intake server can't be reached right now.
var ErrOffline = errors.New("the network's server can't be reached right now")

// Sync, when the intake server at url answers, enrolls this installation if
// needed, sends every due outbox item, and pulls the status feed into the
// journey (reviews, payer statuses, effective date, portal).
func (s *Service) Sync(ctx context.Context, url string) SyncReport {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	rep := SyncReport{Configured: url != "", At: s.now().Format(time.RFC3339)}
	s.released.Do(func() {
		// Nothing of an earlier process can still be in flight.
		if n, err := s.store.ReleaseStale(ctx, s.now(), s.now()); err == nil && n > 0 {
			log.Printf("sync: resending %d items interrupted by the last shutdown", n)
		}
	})
	if s.mailCfg.Relay != nil {
		res, err := s.mailDispatcher().Drain(ctx)
		rep.EmailsSent = res.Delivered
		if err != nil {
			rep.Error = err.Error()
		}
	}
	if url == "" {
		return rep
	}
	client, err := intake.NewClient(url, "", clientTimeout)
	if err != nil {
		rep.Error = err.Error()
		return rep
	}
	if !client.Healthy(ctx) {
		return rep
	}
	rep.Online = true
	client, err = s.enrolledClient(ctx, client)
	if err != nil {
		rep.Error = err.Error()
		return rep
	}
	rep.Enrolled = true
	res, err := s.dispatcher(client).Drain(ctx)
	rep.Delivered, rep.Retrying, rep.Failed = res.Delivered, res.Retrying, res.Failed
	if err != nil {
		rep.Error = err.Error()
		return rep
	}
	st, err := client.Status(ctx)
	if err != nil {
		var ce *intake.ClientError
		if errors.As(err, &ce) && ce.Status == 401 {
			s.store.SetSecret(ctx, secretToken, "", "", s.now()) // enroll again next time
		}
		rep.Error = err.Error()
		return rep
	}
	if err := s.applyStatus(ctx, st); err != nil {
		rep.Error = err.Error()
	}
	return rep
}

func (s *Service) dispatcher(client *intake.Client) *outbox.Dispatcher {
	return outbox.New(s.store, map[string]outbox.Sender{
		KindSubmission: outbox.SenderFunc(func(ctx context.Context, it store.OutboxItem) error {
			return client.Submit(ctx, it.IdempotencyKey, it.Payload)
		}),
		KindPacket: outbox.SenderFunc(func(ctx context.Context, it store.OutboxItem) error {
			return s.sendPacket(ctx, client, it)
		}),
		KindHelp: outbox.SenderFunc(func(ctx context.Context, it store.OutboxItem) error {
			var h helpPayload
			if err := json.Unmarshal(it.Payload, &h); err != nil {
				return err
			}
			return client.Help(ctx, it.IdempotencyKey, h.Subject, h.Message)
		}),
	}, s.now, outbox.DefaultPolicy)
}

// enrolledClient returns a client with this installation's token, enrolling
// with the account's invitation code the first time.
func (s *Service) enrolledClient(ctx context.Context, c *intake.Client) (*intake.Client, error) {
	sealed, _, ok, err := s.store.Secret(ctx, secretToken)
	if err != nil {
		return nil, err
	}
	if ok && sealed != "" {
		tok, err := s.secrets.Open(sealed, secretToken)
		if err == nil {
			return c.WithToken(string(tok)), nil
		}
	}
	a, okAcct, err := s.store.Account(ctx)
	if err != nil || !okAcct {
		return nil, errors.Join(err, ErrNotSetUp)
	}
	inst, err := s.installationID(ctx)
	if err != nil {
		return nil, err
	}
	signer, err := s.SigningKeyFingerprint(ctx)
	if err != nil {
		return nil, err
	}
	tok, err := c.EnrollRequest(ctx, intake.EnrollRequest{InvitationCode: a.InvitationCode, Installation: inst,
		Name: a.LegalName, Email: a.Email, SigningKey: signer})
	if err != nil {
		return nil, fmt.Errorf("enroll with the network: %w", err)
	}
	sealedTok, err := s.secrets.Seal([]byte(tok), secretToken)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetSecret(ctx, secretToken, sealedTok, "", s.now()); err != nil {
		return nil, err
	}
	return c.WithToken(tok), nil
}

func (s *Service) installationID(ctx context.Context) (string, error) {
	id, err := s.store.Setting(ctx, settingInstallation)
	if err != nil || id != "" {
		return id, err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id = hex.EncodeToString(b)
	return id, s.store.SetSetting(ctx, settingInstallation, id)
}

var reviewMilestones = map[string]string{
	forms.FormGeneral:       store.MilestoneGeneralReviewed,
	forms.FormCredentialing: store.MilestoneCredentialingReviewed,
}

// applyStatus turns the network's feed into the journey's state. A review
// counts only for the version the provider last submitted.
func (s *Service) applyStatus(ctx context.Context, st intake.Status) error {
	now := s.now()
	for _, f := range st.Forms {
		subs, err := s.store.Submissions(ctx, f.Form)
		if err != nil {
			return err
		}
		milestone, known := reviewMilestones[f.Form]
		if !known || len(subs) == 0 {
			continue
		}
		latest := subs[len(subs)-1].Version
		switch {
		case f.Review == "reviewed" && f.LatestVersion == latest:
			err = s.store.SetMilestone(ctx, milestone, now)
		case f.Review == "returned" && f.LatestVersion == latest:
			err = errors.Join(s.store.ClearMilestone(ctx, milestone),
				s.store.SetSetting(ctx, "returned/"+f.Form, fmt.Sprintf("%d|%s", latest, f.Reason)))
		}
		if err != nil {
			return err
		}
		if f.Review != "returned" {
			s.store.SetSetting(ctx, "returned/"+f.Form, "")
		}
	}
	for _, p := range st.Payers {
		at, _ := time.Parse(time.RFC3339Nano, p.UpdatedAt)
		if err := s.store.SetPayerStatus(ctx, store.PayerStatus{Payer: p.Payer, Status: p.Status, UpdatedAt: at}); err != nil {
			return err
		}
	}
	if st.EffectiveDate != "" {
		if d, err := time.Parse("2006-01-02", st.EffectiveDate); err == nil {
			if err := s.store.SetMilestoneAt(ctx, store.MilestoneEffectiveDate, d); err != nil {
				return err
			}
		}
	}
	if st.PortalCreated {
		if err := s.store.SetMilestone(ctx, store.MilestonePortalCreated, now); err != nil {
			return err
		}
	}
	return s.queueCompletion(ctx)
}

// Outbox lists the queued, sent and failed items, newest first.
func (s *Service) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	items, err := s.store.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]OutboxEntry, 0, len(items))
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		e := OutboxEntry{ID: it.ID, What: describe(it), State: it.State, Attempts: it.Attempts, LastError: it.LastError,
			QueuedAt: it.CreatedAt.Local().Format(time.RFC3339)}
		if it.State == store.OutboxQueued && it.Attempts > 0 {
			e.NextTry = it.NextAttemptAt.Local().Format(time.RFC3339)
		}
		out = append(out, e)
	}
	return out, nil
}

func describe(it store.OutboxItem) string {
	switch it.Kind {
	case KindSubmission:
		var up intake.SubmissionUpload
		json.Unmarshal(it.Payload, &up)
		name := map[string]string{forms.FormGeneral: "General Onboarding form", forms.FormCredentialing: "Insurance form"}[up.Form]
		return fmt.Sprintf("%s, version %d", name, up.Version)
	case KindHelp:
		var h helpPayload
		json.Unmarshal(it.Payload, &h)
		return "Help request: " + h.Subject
	case KindEmailComplete:
		return "Email: onboarding complete"
	case KindPacket:
		var q queuedPacket
		json.Unmarshal(it.Payload, &q)
		return "Support packet " + q.PacketID
	case KindEmailPacket:
		var e packetEmail
		json.Unmarshal(it.Payload, &e)
		return "Email: " + e.Message.Subject
	case KindEmailReceipt, KindEmailHelp:
		var m struct{ Subject string }
		json.Unmarshal(it.Payload, &m)
		return "Email: " + m.Subject
	}
	return it.Kind
}

// RetryItem queues a failed item again.
func (s *Service) RetryItem(ctx context.Context, id int64) error {
	return s.store.RetryNow(ctx, id, s.now())
}

type helpPayload struct {
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// AskForHelp queues a help request for support; it goes out when online.
func (s *Service) AskForHelp(ctx context.Context, subject, message string) (*forms.Problem, error) {
	if len([]rune(subject)) == 0 || len([]rune(subject)) > 200 {
		return &forms.Problem{Field: "subject", Code: "invalid", Message: "Give your question a short subject (200 characters at most)."}, nil
	}
	if len([]rune(message)) == 0 || len([]rune(message)) > 10_000 {
		return &forms.Problem{Field: "message", Code: "invalid", Message: "Describe what you need (10,000 characters at most)."}, nil
	}
	b := make([]byte, 8)
	rand.Read(b)
	key := "help/" + hex.EncodeToString(b)
	payload, _ := json.Marshal(helpPayload{Subject: subject, Message: message})
	if _, err := s.store.Enqueue(ctx, store.OutboxItem{Kind: KindHelp, IdempotencyKey: key, Payload: payload, CreatedAt: s.now()}); err != nil {
		return nil, err
	}
	// The same question by email to support, from the provider's address.
	a, _, err := s.store.Account(ctx)
	if err != nil {
		return nil, err
	}
	it := s.emailItem(KindEmailHelp, "email/"+key, nil, "Help request: "+subject,
		fmt.Sprintf("From: %s <%s>\n\n%s\n", a.LegalName, a.Email, message))
	_, err = s.store.Enqueue(ctx, it)
	return nil, err
}

// ErrPortalLocked means the portal password can't be created yet.
var ErrPortalLocked = errors.New("the portal opens once the network has reviewed both forms")

// CreatePortalPassword sets the portal password on the intake server (it
// is never stored on this computer). It needs a connection.
func (s *Service) CreatePortalPassword(ctx context.Context, url, password string) (*forms.Problem, error) {
	st, err := s.State(ctx)
	if err != nil {
		return nil, err
	}
	if st.StepStates()["portal"].Status == "locked" {
		return nil, ErrPortalLocked
	}
	if p := intake.PasswordProblem(password, ""); p != "" {
		return &forms.Problem{Field: "password", Code: "weak-password", Message: p}, nil
	}
	client, err := intake.NewClient(url, "", clientTimeout)
	if err != nil || url == "" || !client.Healthy(ctx) {
		return nil, ErrOffline
	}
	s.syncMu.Lock()
	client, err = s.enrolledClient(ctx, client)
	s.syncMu.Unlock()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 8)
	rand.Read(b)
	if err := client.PortalPassword(ctx, "portal/"+hex.EncodeToString(b), password); err != nil {
		var ce *intake.ClientError
		if errors.As(err, &ce) && ce.Code == "weak-password" {
			return &forms.Problem{Field: "password", Code: ce.Code, Message: ce.Message}, nil
		}
		if errors.As(err, &ce) && ce.Temp {
			return nil, ErrOffline
		}
		return nil, err
	}
	return nil, s.reach(ctx, store.MilestonePortalCreated)
}
