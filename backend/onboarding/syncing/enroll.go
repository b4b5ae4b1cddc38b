package syncing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/progress"
)

const settingInstallation = "installation_id"

// TokenSecret is where the intake server's token for this installation is
// kept, sealed. Emptying it makes the next sync enroll again.
const TokenSecret = "sync/token"

// enrolledClient returns a client with this installation's token, enrolling
// with the account's invitation code the first time.
func (s *Service) enrolledClient(ctx context.Context, c *intake.Client) (*intake.Client, error) {
	sealed, _, ok, err := s.store.Secret(ctx, TokenSecret)
	if err != nil {
		return nil, err
	}
	if ok && sealed != "" {
		tok, err := s.secrets.Open(sealed, TokenSecret)
		if err == nil {
			return c.WithToken(string(tok)), nil
		}
	}
	a, err := s.progress.StoredAccount(ctx)
	if err != nil {
		return nil, errors.Join(err, progress.ErrNotSetUp)
	}
	inst, err := s.installationID(ctx)
	if err != nil {
		return nil, err
	}
	signer, err := s.packets.SigningKeyFingerprint(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := c.EnrollRequest(ctx, intake.EnrollRequest{InvitationCode: a.InvitationCode, Installation: inst,
		Name: a.LegalName, Email: a.Email, SigningKey: signer})
	if err != nil {
		return nil, fmt.Errorf("enroll with the network: %w", err)
	}
	if err := s.pinNetworkKey(ctx, resp.NetworkKey); err != nil {
		return nil, err
	}
	tok := resp.Token
	// Before the token is kept: a sync cut short here enrolls again and
	// raises (nothing more) then, so nothing is sent under the old numbers.
	if err := s.raiseVersions(ctx, resp.Versions); err != nil {
		return nil, err
	}
	if err := s.keepMailRoute(ctx, resp.Mail); err != nil {
		return nil, err
	}
	sealedTok, err := s.secrets.Seal([]byte(tok), TokenSecret)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetSecret(ctx, TokenSecret, sealedTok, "", s.now()); err != nil {
		return nil, err
	}
	return c.WithToken(tok), nil
}

// MessageID is the Message-ID of the email queued under key: the same on
// every resend of it (so a receiver can drop a duplicate), and unique per
// installation, since two providers' apps queue emails under the same keys
// (every completion email is "email/onboarding-complete").
func (s *Service) MessageID(ctx context.Context, key string) (string, error) {
	inst, err := s.installationID(ctx)
	if err != nil {
		return "", fmt.Errorf("the installation's ID: %w", err)
	}
	return mail.MessageID(key + "/" + inst), nil
}

// installationID is this installation's random ID, made on first use.
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
