package syncing

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"

	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
)

// settingMailRoute keeps the network's mail submission route from the
// last enrollment (JSON; empty when the network offers none).
const settingMailRoute = "mail_route"

// keepMailRoute stores the route an enrollment answered, or forgets the
// one before when it answered none.
func (s *Service) keepMailRoute(ctx context.Context, r *intake.MailRoute) error {
	value := ""
	if r != nil {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		value = string(b)
	}
	if err := s.store.SetSetting(ctx, settingMailRoute, value); err != nil {
		return fmt.Errorf("keep the network's mail route: %w", err)
	}
	return nil
}

// mailWay is how queued email goes out now: through the relay Settings
// name, which wins; otherwise through the network's route once enrolled
// (the app's token is the password, and mail goes from the route's From).
// ok is false while there is neither: email waits in the outbox.
func (s *Service) mailWay(ctx context.Context, cfg outmail.Config) (way outmail.Config, viaRoute, ok bool, err error) {
	if cfg.Relay != nil {
		return cfg, false, true, nil
	}
	raw, err := s.store.Setting(ctx, settingMailRoute)
	if err != nil || raw == "" {
		return cfg, false, false, err
	}
	var r intake.MailRoute
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return cfg, false, false, fmt.Errorf("the stored mail route: %w", err)
	}
	tok, ok, err := s.storedToken(ctx)
	if err != nil || !ok {
		return cfg, false, false, err
	}
	host, port, err := net.SplitHostPort(r.Addr)
	if err != nil {
		return cfg, false, false, fmt.Errorf("the network's mail route %q: %w", r.Addr, err)
	}
	relay := mail.Relay{Host: host, Username: r.Username, Password: tok, ServerName: r.ServerName}
	if relay.Port, err = strconv.Atoi(port); err != nil {
		return cfg, false, false, fmt.Errorf("the network's mail route %q: %w", r.Addr, err)
	}
	way = outmail.Config{Relay: &relay, From: mail.Address{Name: r.FromName, Email: r.From}, Support: r.Support, Credentialing: r.Credentialing}
	if way.From.Name == "" {
		way.From.Name = cfg.From.Name
	}
	return way, true, true, nil
}

// storedToken is this installation's token, if it has enrolled.
func (s *Service) storedToken(ctx context.Context) (string, bool, error) {
	sealed, _, ok, err := s.store.Secret(ctx, TokenSecret)
	if err != nil || !ok || sealed == "" {
		return "", false, err
	}
	tok, err := s.secrets.Open(sealed, TokenSecret)
	if err != nil {
		return "", false, nil // unreadable: the next sync enrolls again
	}
	return string(tok), true, nil
}

// sendMail sends due email the way mailWay says, and reports whether there
// was a way.
func (s *Service) sendMail(ctx context.Context, rep *SyncReport, cfg outmail.Config) bool {
	way, viaRoute, ok, err := s.mailWay(ctx, cfg)
	if err != nil {
		rep.failed(fmt.Errorf("send email: %w", err))
		return false
	}
	if !ok {
		return false
	}
	res, err := s.mailDispatcher(way, viaRoute).Drain(ctx)
	rep.EmailsSent += res.Delivered
	if err != nil {
		rep.failed(fmt.Errorf("send email: %w", err))
	}
	return true
}
