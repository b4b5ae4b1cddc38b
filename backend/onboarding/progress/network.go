package progress

import (
	"context"

	"onramp/backend/forms"
	"onramp/backend/journey"
	"onramp/backend/store"
)

// Settings keys under which sync keeps where and as whom the provider logs
// into the portal, as the status feed gave them.
const (
	PortalURLSetting  = "portal/url"
	PortalUserSetting = "portal/username"
)

// received is when the network received version of form, zero while no
// sync has seen it arrive.
func (s *Service) received(ctx context.Context, form string, version int) (store.NetworkVersion, error) {
	versions, err := s.store.NetworkVersions(ctx, form)
	if err != nil {
		return store.NetworkVersion{}, err
	}
	for _, v := range versions {
		if v.Version == version {
			return v, nil
		}
	}
	return store.NetworkVersion{}, nil
}

// addReceipts fills in when the network received the latest submitted
// version of each form.
func (s *Service) addReceipts(ctx context.Context, st *journey.State, reviews map[string]formReview) error {
	g, err := s.received(ctx, forms.FormGeneral, reviews[forms.FormGeneral].latest)
	if err != nil {
		return err
	}
	c, err := s.received(ctx, forms.FormCredentialing, reviews[forms.FormCredentialing].latest)
	if err != nil {
		return err
	}
	st.GeneralReceived, st.CredentialingReceived = local(g.ReceivedAt), local(c.ReceivedAt)
	st.CredentialingVersion = reviews[forms.FormCredentialing].latest
	return nil
}

// PortalAccess is where and as whom the provider logs into the portal, once
// the password exists and the network said so.
func (s *Service) PortalAccess(ctx context.Context) (*journey.PortalAccess, error) {
	url, err := s.store.Setting(ctx, PortalURLSetting)
	if err != nil {
		return nil, err
	}
	user, err := s.store.Setting(ctx, PortalUserSetting)
	if err != nil {
		return nil, err
	}
	if url == "" && user == "" {
		return nil, nil
	}
	return &journey.PortalAccess{URL: url, Username: user}, nil
}
