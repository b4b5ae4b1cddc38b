// Package onboarding wires the provider's services over one open data
// folder. Each lives in its own package:
//
//	progress  account and set-up, the journey state, dashboard, checklist,
//	          the onboarding-complete email
//	formfill  drafts, validation, submitted versions, secrets, documents
//	training  the webinar's played intervals and the quiz
//	packets   the signing key, packet preview, export, sending and opening
//	syncing   enrollment, the outbox to the intake server and the relay, the
//	          status feed, help requests, the portal password
//	directories  Insurance & Directories: the network's payers and programs,
//	          the provider's requests to join or leave one
//	settings  the connection settings (intake server, mail relay)
//	outmail   the mail settings in use and composing queued email
//
// Service is the thin facade the desktop app binds: it only builds them.
package onboarding

import (
	"context"
	"log"
	"path/filepath"
	"time"

	"onramp/backend/attach"
	"onramp/backend/forms"
	"onramp/backend/npi"
	"onramp/backend/onboarding/directories"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/packets"
	"onramp/backend/onboarding/progress"
	"onramp/backend/onboarding/settings"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/onboarding/training"
	"onramp/backend/onboarding/updates"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/webinar"
)

// Service is every provider-side service over one store.
type Service struct {
	Progress *progress.Service
	Forms    *formfill.Service
	Training *training.Service
	Packets  *packets.Service
	Sync     *syncing.Service
	Settings *settings.Service
	// Directories is Insurance & Directories; Sync sends its requests.
	Directories *directories.Service
	// Mail is the mail settings in use; switching them (Settings saved)
	// applies from the next sync.
	Mail *outmail.Settings
	// Updates offers a newer version of Onramp; Sync looks for it.
	Updates *updates.Service
}

// New builds the services on st, whose folder also holds the uploaded
// documents and the packets waiting to be sent. now is the clock (time.Now
// in the app), video the current training webinar, secrets the box that
// seals secrets at rest, and mail the mail settings to start with.
func New(st *store.Store, now func() time.Time, video webinar.Video, secrets *secret.Box, mail outmail.Config) *Service {
	dir := filepath.Dir(st.Path())
	files := func() (attach.Dir, error) { return attach.Open(filepath.Join(dir, "attachments")) }
	m := outmail.New(mail, now)
	p := progress.New(st, now, m)
	pk := packets.New(st, now, secrets, m, files, filepath.Join(dir, "packets"))
	d := directories.New(st, now)
	// Without a release key that parses, key is nil and every release is
	// refused: nothing unverified is ever offered.
	key, err := updates.BuiltInKey()
	if err != nil {
		log.Printf("updates: %v", err)
	}
	u := updates.New(filepath.Join(dir, "updates"), now, key, updates.ThisPlatform(), updates.CurrentVersion())
	s := &Service{
		Progress: p,
		Forms:    formfill.New(st, now, secrets, p, m, files),
		Training: training.New(st, now, video, p),
		Packets:  pk,
		Sync:     syncing.New(st, now, secrets, p, pk, m, d, video, u),
		Settings: settings.New(st, now, secrets),
		Mail:     m,
	}
	s.Directories = d
	s.Updates = u
	return s
}

// NPIWho is what the provider told Onramp that the NPI Registry's record
// is compared with: the legal name (the General form's, else set-up's) and
// the license type.
func (s *Service) NPIWho(ctx context.Context) (npi.Who, error) {
	names, err := s.Progress.Names(ctx)
	if err != nil {
		return npi.Who{}, err
	}
	a, err := s.Progress.StoredAccount(ctx)
	if err != nil {
		return npi.Who{}, err
	}
	return npi.Who{LegalName: names.Legal, License: forms.LicenseType(a.LicenseType)}, nil
}
