// Package syncing is the app's side of the network: enrolling with the
// invitation code, sending what the outbox holds (submissions, packets,
// help requests to the intake server; email through the relay), pulling
// the status feed into the journey, and the requests that need the server
// at once (the portal password).
package syncing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"
	"time"

	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/directories"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/packets"
	"onramp/backend/onboarding/progress"
	"onramp/backend/onboarding/reports"
	"onramp/backend/outbox"
	"onramp/backend/retry"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/webinar"
)

// Service syncs with the network's intake server and sends queued email.
type Service struct {
	store    *store.Store
	now      func() time.Time
	secrets  *secret.Box
	progress *progress.Service
	packets  *packets.Service
	mail     *outmail.Settings
	dirs     *directories.Service
	video    webinar.Video // the training's, for its report
	updates  Updater       // nil: this build does not look for updates

	mu sync.Mutex // one sync at a time: enrollment must not race
	// released: items a previous run of the app left "sending" (it crashed
	// or was closed mid-send) went back in the queue, which this run's
	// first sync does. Guarded by mu.
	released bool
}

// Updater looks for a new release of the app with each sync that reached
// the network (updates.Service): at most once a day it asks, and it
// carries on a download the last sync left unfinished.
type Updater interface {
	Check(ctx context.Context, client *intake.Client) error
}

// New builds the service. secrets seals the server's token, progress takes
// the status feed, packets uploads and emails queued packets, mail is the
// relay and addresses email goes through, dirs sends Insurance &
// Directories requests and keeps what the feed says of them, video is the
// training's webinar (its report names it), and u looks for updates (nil:
// none are looked for).
func New(st *store.Store, now func() time.Time, secrets *secret.Box, p *progress.Service, pk *packets.Service, m *outmail.Settings,
	dirs *directories.Service, video webinar.Video, u Updater) *Service {
	return &Service{store: st, now: now, secrets: secrets, progress: p, packets: pk, mail: m, dirs: dirs, video: video, updates: u}
}

// queueReports queues what the network should know and has not been told:
// the app's version (once per version), and the training, start date and
// checklist in case an earlier run stopped between saving and queueing one
// (each is queued only when it changed, so this is cheap).
func (s *Service) queueReports(ctx context.Context) error {
	now := s.now()
	return errors.Join(reports.QueueAppVersion(ctx, s.store, now), reports.QueueStartDate(ctx, s.store, now),
		reports.QueueChecklist(ctx, s.store, now), reports.QueueTraining(ctx, s.store, now, s.video))
}

// SyncReport is what the last sync did and saw.
type SyncReport struct {
	EmailsSent int  `json:"emailsSent"`
	Configured bool `json:"configured"` // an intake server address is set
	// AccountReady: the account is set up. Before, there is nothing to
	// sync and no sync is tried: nothing to report as a problem.
	AccountReady bool   `json:"accountReady"`
	Online       bool   `json:"online"` // it answered
	Enrolled     bool   `json:"enrolled"`
	At           string `json:"at"` // RFC 3339
	Delivered    int    `json:"delivered"`
	Retrying     int    `json:"retrying"`
	Failed       int    `json:"failed"`
	// Error is what stopped the sync, in plain words for the panel.
	Error string `json:"error,omitempty"`
}

// retiredCompletionEmail is the outbox kind of the onboarding-complete
// email earlier versions sent themselves.
const retiredCompletionEmail = "email.onboarding-complete"

// clientTimeout bounds each request to the intake server (a packet upload
// gets longer: see packets.Service.Upload).
const clientTimeout = 20 * time.Second

// ErrOffline means the intake server can't be reached right now.
var ErrOffline = errors.New("the network's server can't be reached right now")

// Sync, when the intake server at url answers, enrolls this installation if
// needed, sends every due outbox item, and pulls the status feed into the
// journey (reviews, payer statuses, effective date, portal). Email goes
// through the relay Settings name whether or not the server answers;
// without one, through the network's mail route once enrolled.
func (s *Service) Sync(ctx context.Context, url string) SyncReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg := s.mail.Config() // a switch of settings applies from the next sync
	rep := SyncReport{Configured: url != "", At: s.now().Format(time.RFC3339)}
	if _, ok, err := s.store.Account(ctx); err != nil || !ok {
		// Not set up yet: nothing is queued and there is no one to enroll.
		if err != nil {
			rep.Error = syncProblem(err)
		}
		return rep
	}
	rep.AccountReady = true
	if !s.released {
		// Nothing of an earlier process can still be in flight.
		n, err := s.store.ReleaseStale(ctx, s.now(), s.now())
		if err != nil {
			return rep.failed(fmt.Errorf("put back what the last run left unsent: %w", err))
		}
		if n > 0 {
			log.Printf("sync: resending %d items interrupted by the last shutdown", n)
		}
		// An earlier version queued its own onboarding-complete email; the
		// network sends it now, so one still waiting is dropped.
		if n, err := s.store.DropUnsent(ctx, retiredCompletionEmail); err != nil {
			return rep.failed(err)
		} else if n > 0 {
			log.Printf("sync: dropped %d onboarding-complete emails the network sends now", n)
		}
		s.released = true
	}
	// Enrolling comes first when the server answers: the answer may say
	// this computer's versions follow another's (raiseVersions), which must
	// be settled before a packet names them or a receipt goes.
	client, err := s.connect(ctx, url, &rep)
	// Packets are made here, in the background, whether or not the server
	// answers: their uploads then go with this sync when it does.
	if _, err := s.builder().Drain(ctx); err != nil {
		rep.failed(fmt.Errorf("make the support packets: %w", err))
	}
	if err := s.queueReports(ctx); err != nil {
		rep.failed(err)
	}
	s.sendMail(ctx, &rep, cfg)
	if err != nil {
		return rep.failedWith(err.Error())
	}
	if client == nil {
		return rep
	}
	res, err := s.dispatcher(client).Drain(ctx)
	rep.Delivered, rep.Retrying, rep.Failed = res.Delivered, res.Retrying, res.Failed
	if err != nil {
		return rep.failed(err)
	}
	st, err := client.Status(ctx)
	if err != nil {
		var ce *intake.ClientError
		if errors.As(err, &ce) && ce.Status == 401 {
			// The server no longer knows the token: enroll again next time.
			if ferr := s.store.SetSecret(ctx, TokenSecret, "", "", s.now()); ferr != nil {
				err = errors.Join(err, fmt.Errorf("forget the refused token: %w", ferr))
			}
		}
		return rep.failed(err)
	}
	if err := s.applyStatus(ctx, st); err != nil {
		return rep.failed(fmt.Errorf("record the network's status: %w", err))
	}
	if s.updates != nil {
		// Not the sync's problem: an update refused or cut off is for the
		// log, and the update notice says what the provider should know.
		if err := s.updates.Check(ctx, client); err != nil {
			log.Printf("updates: %v", err)
		}
	}
	return rep
}

// connect returns the intake server's client with this installation's
// token, enrolling if needed; nil when there is no server or it does not
// answer. The error is in plain words for the sync panel.
func (s *Service) connect(ctx context.Context, url string, rep *SyncReport) (*intake.Client, error) {
	if url == "" {
		return nil, nil
	}
	client, err := intake.NewClient(url, "", clientTimeout)
	if err != nil {
		return nil, errors.New(addressProblem(err))
	}
	if !client.Healthy(ctx) {
		return nil, nil
	}
	rep.Online = true
	client, err = s.enrolledClient(ctx, client)
	if err != nil {
		return nil, errors.New(syncProblem(err))
	}
	rep.Enrolled = true
	return client, nil
}

// failed records what stopped the sync in plain words for the sync panel
// (syncProblem logs the error itself for support), after any earlier
// problem.
func (rep *SyncReport) failed(err error) SyncReport { return rep.failedWith(syncProblem(err)) }

func (rep *SyncReport) failedWith(msg string) SyncReport {
	switch {
	case rep.Error == "":
		rep.Error = msg
	case !strings.Contains(rep.Error, msg):
		rep.Error += " " + msg
	}
	return *rep
}

// dispatcher sends queued items to the intake server.
func (s *Service) dispatcher(client *intake.Client) *outbox.Dispatcher {
	senders := map[string]outbox.Sender{
		formfill.KindSubmission: plainSender(func(ctx context.Context, it store.OutboxItem) error {
			up, err := s.sealedUpload(ctx, it.Payload)
			if err != nil {
				return err
			}
			return keyMismatchRetried(client.Submit(ctx, it.IdempotencyKey, up))
		}),
		packets.KindUpload: plainSender(func(ctx context.Context, it store.OutboxItem) error {
			return s.packets.Upload(ctx, client, it)
		}),
		KindHelp: plainSender(func(ctx context.Context, it store.OutboxItem) error {
			var h helpPayload
			if err := json.Unmarshal(it.Payload, &h); err != nil {
				return err
			}
			return client.Help(ctx, it.IdempotencyKey, h.Subject, h.Message)
		}),
		directories.KindRequest: plainSender(func(ctx context.Context, it store.OutboxItem) error {
			return s.dirs.Send(ctx, client, it)
		}),
	}
	for _, k := range reports.Kinds {
		senders[k] = plainSender(func(ctx context.Context, it store.OutboxItem) error { return reports.Send(ctx, client, it) })
	}
	return outbox.New(s.store, senders, s.now, retry.Outbox)
}

// builder makes the support packets submitted Insurance form versions
// queued (packets.Build), each queueing its upload.
func (s *Service) builder() *outbox.Dispatcher {
	return outbox.New(s.store, map[string]outbox.Sender{packets.KindBuild: plainSender(s.packets.Build)}, s.now, retry.Outbox)
}

// mailDispatcher sends queued email through the relay in cfg; viaRoute,
// the network's route, sends it from cfg.From whatever it was composed with.
func (s *Service) mailDispatcher(cfg outmail.Config, viaRoute bool) *outbox.Dispatcher {
	send := plainSender(func(ctx context.Context, it store.OutboxItem) error {
		var m mail.Message
		if it.Kind == outmail.KindPacket {
			var err error
			if m, err = s.packets.Message(it, cfg); err != nil {
				return err
			}
		} else if err := json.Unmarshal(it.Payload, &m); err != nil {
			return err
		}
		if it.Kind == outmail.KindHelp && len(m.To) == 0 {
			m.To = []mail.Address{{Name: "Onramp support", Email: cfg.Support}}
		}
		id, err := s.MessageID(ctx, it.IdempotencyKey)
		if err != nil {
			return err
		}
		m.ID = id
		ctx, cancel := context.WithTimeout(ctx, outmail.SendTimeout(m))
		defer cancel()
		if !viaRoute {
			return mail.Send(ctx, *cfg.Relay, m)
		}
		m.From = cfg.From
		err = mail.Send(ctx, *cfg.Relay, m)
		var me *mail.Error
		if errors.As(err, &me) && me.Code == 535 {
			// A token the network no longer takes: the next sync enrolls
			// again with a new one, so the email waits rather than fails.
			me.Temp = true
		}
		return err
	})
	senders := map[string]outbox.Sender{}
	for _, k := range outmail.Kinds {
		senders[k] = send
	}
	return outbox.New(s.store, senders, s.now, retry.Outbox)
}
