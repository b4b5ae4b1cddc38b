package syncing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/store"
)

// ErrPortalLocked means the portal password can't be created yet.
var ErrPortalLocked = errors.New("the portal opens once the network has reviewed both forms")

// CreatePortalPassword sets the portal password on the intake server (it
// is never stored on this computer). It needs a connection.
func (s *Service) CreatePortalPassword(ctx context.Context, url, password string) (*forms.Problem, error) {
	st, err := s.progress.State(ctx)
	if err != nil {
		return nil, err
	}
	if st.StepStates()[journey.StepPortal].Status == journey.Locked {
		return nil, ErrPortalLocked
	}
	if p := intake.PasswordProblem(password, ""); p != "" {
		return &forms.Problem{Field: "password", Code: "weak-password", Message: p}, nil
	}
	client, err := intake.NewClient(url, "", clientTimeout)
	if err != nil || url == "" || !client.Healthy(ctx) {
		return nil, ErrOffline
	}
	s.mu.Lock()
	client, err = s.enrolledClient(ctx, client)
	s.mu.Unlock()
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
	return nil, s.progress.Reach(ctx, store.MilestonePortalCreated)
}
