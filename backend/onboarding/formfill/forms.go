// Package formfill is the long forms as the provider fills them: drafts
// saved as they type, validation, immutable submitted versions (queued for
// the network with their receipt email), the secret fields and the
// uploaded documents.
package formfill

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"onramp/backend/attach"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/packets"
	"onramp/backend/onboarding/progress"
	"onramp/backend/secret"
	"onramp/backend/store"
)

// Service fills, checks and submits the long forms.
type Service struct {
	store    *store.Store
	now      func() time.Time
	secrets  *secret.Box
	progress *progress.Service
	mail     *outmail.Settings
	files    func() (attach.Dir, error)
}

// New builds the service. secrets seals the secret fields, progress gives
// the journey state (the Insurance form opens after the General form) and
// is told of each submission, mail composes the receipts and files is the
// folder of uploaded documents.
func New(st *store.Store, now func() time.Time, secrets *secret.Box, p *progress.Service, m *outmail.Settings, files func() (attach.Dir, error)) *Service {
	return &Service{store: st, now: now, secrets: secrets, progress: p, mail: m, files: files}
}

var (
	// ErrUnknownForm means no long form has that ID.
	ErrUnknownForm = errors.New("no such form")
	// ErrFormLocked means the form cannot be worked on yet.
	ErrFormLocked = errors.New("submit the General Onboarding form first")
)

// FormView is a form as its screen opens: the schema, the values the
// conditions read, the data to show, and its submitted versions.
type FormView struct {
	Schema        forms.Schema      `json:"schema"`
	Context       map[string]string `json:"context"`
	Data          forms.Data        `json:"data"`
	Editing       bool              `json:"editing"` // false: showing the latest submitted version, read-only
	DraftRevision int64             `json:"draftRevision"`
	SavedAt       string            `json:"savedAt,omitempty"`
	Versions      []VersionSummary  `json:"versions"`
	// Attachments describes the uploaded files the data refers to, by hash.
	Attachments map[string]attach.Info `json:"attachments"`
}

// VersionSummary is one submitted version and the network's word on it,
// as the last sync learned it.
type VersionSummary struct {
	Version     int    `json:"version"`
	SubmittedAt string `json:"submittedAt"`
	Hash        string `json:"hash"`
	// Review is ReviewNotReceived until a sync saw the network receive the
	// version, then the feed's word: ReviewReceived, ReviewReviewed or
	// ReviewReturned (with Reason).
	Review     string `json:"review"`
	ReceivedAt string `json:"receivedAt,omitempty"` // RFC 3339
	ReviewedAt string `json:"reviewedAt,omitempty"` // RFC 3339
	Reason     string `json:"reason,omitempty"`
	// AwaitingReview marks the version the network is to review next: the
	// latest, received and neither reviewed nor returned.
	AwaitingReview bool `json:"awaitingReview"`
}

// A version's review as the form shows it.
const (
	ReviewNotReceived = "not-received" // still in the outbox, or no sync since
	ReviewReceived    = "received"
	ReviewReviewed    = "reviewed"
	ReviewReturned    = "returned"
)

// DraftSaved confirms a saved draft.
type DraftSaved struct {
	Revision int64  `json:"revision"`
	SavedAt  string `json:"savedAt"`
}

// SubmitResult is either the problems that stop a submission or the new
// version.
type SubmitResult struct {
	Problems    []forms.Problem `json:"problems"`
	Version     int             `json:"version,omitempty"`
	Hash        string          `json:"hash,omitempty"`
	SubmittedAt string          `json:"submittedAt,omitempty"`
}

// KindSubmission is the outbox kind of a submitted version's upload to the
// intake server.
const KindSubmission = "submission"

var formMilestones = map[string]string{
	forms.FormGeneral:       store.MilestoneGeneralSubmitted,
	forms.FormCredentialing: store.MilestoneCredentialingSubmitted,
}

// Form opens a form: its draft if there is one, else the latest submitted
// version (read-only), else a new draft prefilled from the account.
func (s *Service) Form(ctx context.Context, id string) (FormView, error) {
	schema, fctx, err := s.formContext(ctx, id)
	if err != nil {
		return FormView{}, err
	}
	subs, err := s.store.Submissions(ctx, id)
	if err != nil {
		return FormView{}, err
	}
	v := FormView{Schema: schema, Context: fctx.Values}
	if v.Versions, err = s.versions(ctx, id, subs); err != nil {
		return FormView{}, err
	}
	draft, err := s.store.Draft(ctx, id)
	switch {
	case err == nil:
		if v.Data, err = forms.DecodeData(draft.Data); err != nil {
			return FormView{}, err
		}
		// Drafts saved before money was stored as digits open normalised.
		v.Data = forms.NormalizeMoney(schema, v.Data)
		v.Editing, v.DraftRevision, v.SavedAt = true, draft.Revision, draft.UpdatedAt.Local().Format(timeLayout)
	case !errors.Is(err, store.ErrNoDraft):
		return FormView{}, err
	case len(subs) > 0:
		latest := subs[len(subs)-1]
		if v.Data, err = forms.DecodeData(latest.Data); err != nil {
			return FormView{}, err
		}
		// A submitted version is shown as it was entered, with its own schema.
		v.Schema, _ = forms.SchemaAt(id, latest.SchemaVersion)
	default:
		v.Data, v.Editing = s.prefill(ctx, id), true
	}
	if v.Editing {
		v.Data = forms.UpgradeDraft(id, v.Data)
	}
	if v.Data, v.Attachments, err = s.attachmentInfos(ctx, v.Schema, v.Data); err != nil {
		return FormView{}, err
	}
	return v, nil
}

const timeLayout = "2006-01-02T15:04:05Z07:00"

// SaveDraft stores what the provider typed so far. Invalid values are saved
// too, and so are fields a condition hides now: nothing typed is ever lost.
// Amounts are stored as digits.
func (s *Service) SaveDraft(ctx context.Context, id string, d forms.Data) (DraftSaved, error) {
	schema, _, err := s.formContext(ctx, id)
	if err != nil {
		return DraftSaved{}, err
	}
	if d, err = s.prepare(ctx, id, schema, d); err != nil {
		return DraftSaved{}, err
	}
	raw := d.Encode()
	if len(raw) > forms.MaxDataBytes {
		return DraftSaved{}, fmt.Errorf("%w: too large", forms.ErrBadData)
	}
	now := s.now()
	rev, err := s.store.SaveDraft(ctx, id, raw, now)
	if err != nil {
		return DraftSaved{}, err
	}
	return DraftSaved{Revision: rev, SavedAt: now.Local().Format(timeLayout)}, nil
}

// CheckForm validates data as it stands, for the problems shown as the
// provider types.
func (s *Service) CheckForm(ctx context.Context, id string, d forms.Data) ([]forms.Problem, error) {
	schema, fctx, err := s.formContext(ctx, id)
	if err != nil {
		return nil, err
	}
	if d, err = s.prepare(ctx, id, schema, d); err != nil {
		return nil, err
	}
	return forms.Validate(schema, d, fctx), nil
}

// prepare puts the stored secret masks into the data, drops references to
// files that are not stored and writes amounts as digits: what a draft,
// a check and a submission start from.
func (s *Service) prepare(ctx context.Context, id string, schema forms.Schema, d forms.Data) (forms.Data, error) {
	d, err := s.withSecretMasks(ctx, id, schema, d)
	if err != nil {
		return d, err
	}
	if d, _, err = s.attachmentInfos(ctx, schema, d); err != nil {
		return d, err
	}
	return forms.NormalizeMoney(schema, d), nil
}

// SubmitForm validates in full and, when nothing blocks, stores an
// immutable new version with its hash, ends the draft and advances the
// journey, in one transaction. What is submitted holds only what the form
// shows (a field a condition hides is left out of the version, its upload
// and its receipt's hash), and a version that repeats the last one is
// refused.
func (s *Service) SubmitForm(ctx context.Context, id string, d forms.Data) (SubmitResult, error) {
	schema, fctx, err := s.formContext(ctx, id)
	if err != nil {
		return SubmitResult{}, err
	}
	if d, err = s.prepare(ctx, id, schema, d); err != nil {
		return SubmitResult{}, err
	}
	d = forms.Shown(schema, d, fctx)
	problems := forms.Validate(schema, d, fctx)
	subs, err := s.store.Submissions(ctx, id)
	if err != nil {
		return SubmitResult{}, err
	}
	if n := len(subs); n > 0 {
		last, err := forms.DecodeData(subs[n-1].Data)
		if err != nil {
			return SubmitResult{}, err
		}
		if forms.Unchanged(schema, d, last) {
			problems = append(problems, forms.UnchangedProblem(subs[n-1].Version))
		}
	}
	if forms.Blocking(problems) {
		return SubmitResult{Problems: problems}, nil
	}
	now := s.now()
	acct, err := s.progress.StoredAccount(ctx)
	if err != nil {
		return SubmitResult{}, err
	}
	names, err := s.progress.Names(ctx)
	if err != nil {
		return SubmitResult{}, err
	}
	if id == forms.FormGeneral { // the receipt already goes by the names being submitted
		names = forms.NamesFor(acct.LegalName, acct.PreferredName, &d)
	}
	// An Insurance form version also queues its support packet, made in
	// the background from it and the General form version submitted now.
	general := 0
	if id == forms.FormCredentialing {
		if general, err = s.store.LatestVersion(ctx, forms.FormGeneral); err != nil {
			return SubmitResult{}, err
		}
	}
	queue := func(version int) []store.OutboxItem {
		items := append(SubmissionOutbox(id, schema.Version, d, now)(version), s.Receipt(acct.Email, names, id, version, d.Hash(), now))
		if id == forms.FormCredentialing {
			items = append(items, packets.BuildJob(version, d.Hash(), general))
		}
		return items
	}
	version, err := s.store.Submit(ctx, store.Submission{Form: id, SchemaVersion: schema.Version, Data: d.Encode(),
		Hash: d.Hash(), SubmittedAt: now}, formMilestones[id], queue)
	if err != nil {
		return SubmitResult{}, err
	}
	return SubmitResult{Problems: problems, Version: version, Hash: d.Hash(), SubmittedAt: now.Local().Format(timeLayout)}, nil
}

// SubmissionOutbox queues the upload to the intake server in the same
// transaction as the submission; its key is stable, so retries never
// duplicate it.
func SubmissionOutbox(id string, schemaVersion int, d forms.Data, now time.Time) func(version int) []store.OutboxItem {
	return func(version int) []store.OutboxItem {
		payload, _ := json.Marshal(intake.SubmissionUpload{Form: id, Version: version, SchemaVersion: schemaVersion,
			Hash: d.Hash(), SubmittedAt: now, Data: d.Encode()})
		return []store.OutboxItem{{Kind: KindSubmission, IdempotencyKey: submissionKey(id, version, d.Hash()), Payload: payload}}
	}
}

// StartResubmission opens a draft from the latest submitted version,
// without its attestation: each version is attested anew. The submitted
// versions stay as they were.
func (s *Service) StartResubmission(ctx context.Context, id string) (FormView, error) {
	schema, ok := forms.SchemaByID(id)
	if !ok {
		return FormView{}, fmt.Errorf("%w: %q", ErrUnknownForm, id)
	}
	subs, err := s.store.Submissions(ctx, id)
	if err != nil {
		return FormView{}, err
	}
	if _, err := s.store.Draft(ctx, id); errors.Is(err, store.ErrNoDraft) && len(subs) > 0 {
		last, err := forms.DecodeData(subs[len(subs)-1].Data)
		if err != nil {
			return FormView{}, err
		}
		if _, err := s.store.SaveDraft(ctx, id, forms.WithoutAttestation(schema, last).Encode(), s.now()); err != nil {
			return FormView{}, err
		}
	}
	return s.Form(ctx, id)
}

// DiscardDraft drops a resubmission draft, going back to the submitted
// version. A form never submitted keeps its draft: there is nothing to go
// back to.
func (s *Service) DiscardDraft(ctx context.Context, id string) (FormView, error) {
	subs, err := s.store.Submissions(ctx, id)
	if err != nil {
		return FormView{}, err
	}
	if len(subs) > 0 {
		if err := s.store.DiscardDraft(ctx, id); err != nil {
			return FormView{}, err
		}
	}
	return s.Form(ctx, id)
}

// formContext checks the form exists and is open, and gathers what its
// conditions and rules read.
func (s *Service) formContext(ctx context.Context, id string) (forms.Schema, forms.Context, error) {
	schema, ok := forms.SchemaByID(id)
	if !ok {
		return forms.Schema{}, forms.Context{}, fmt.Errorf("%w: %q", ErrUnknownForm, id)
	}
	st, err := s.progress.State(ctx)
	if err != nil {
		return forms.Schema{}, forms.Context{}, err
	}
	steps := st.StepStates()
	if id == forms.FormCredentialing && steps[journey.StepCredentialing].Status == journey.Locked {
		return forms.Schema{}, forms.Context{}, ErrFormLocked
	}
	values, err := s.progress.FormValues(ctx)
	if err != nil {
		return forms.Schema{}, forms.Context{}, err
	}
	return schema, forms.Context{Values: values, Today: s.now().Local()}, nil
}

func (s *Service) prefill(ctx context.Context, id string) forms.Data {
	d := forms.NewData()
	a, ok, err := s.store.Account(ctx)
	if err != nil || !ok {
		return d
	}
	switch id {
	case forms.FormGeneral:
		d.Fields[forms.FieldLegalName] = a.LegalName
		d.Fields[forms.FieldPreferredName] = a.PreferredName
		d.Fields["email"] = a.Email
		d.Fields["licenseType"] = a.LicenseType
		d.Groups["locations"] = []map[string]string{{}}
	case forms.FormCredentialing:
		d.Groups["licenses"] = []map[string]string{{}}
		d.Groups["education"] = []map[string]string{{}}
		d.Groups["work"] = []map[string]string{{}}
	}
	return d
}

// Receipt is the email confirming a submission to the provider, sent to
// email and greeting them by names.Salutation.
func (s *Service) Receipt(email string, names forms.Names, id string, version int, hash string, at time.Time) store.OutboxItem {
	text := fmt.Sprintf("Hello %s,\n\nOnramp recorded your %s on %s.\nIts fingerprint is %s.\n\n"+
		"It goes to the network as soon as your computer is online; you'll hear about the next step within one business day after that.\n\n— Onramp\n",
		names.Salutation, receiptVersion(id, version), at.Local().Format("Monday, January 2, 2006 at 3:04 PM"), hash)
	return s.mail.Item(outmail.KindReceipt, receiptKey(id, version, hash),
		[]mail.Address{{Name: names.Legal, Email: email}}, receiptSubject(id, version), text)
}
