package directories

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"onramp/backend/intake"
)

// refused is the network's answer to a request it refused on arrival.
type refused struct {
	Message string `json:"message"`
	At      string `json:"at"` // RFC 3339, when the answer came
}

// refusal reports whether the server's answer refuses the request itself
// (the provider's status does not allow it, the same is already pending,
// the network does not offer it, the portal is not open on the network's
// side), which sending the same request again cannot change. A busy or
// unreachable server, or a refused sign-in, is not: those are retried or
// failed as any other send.
func refusal(ce *intake.ClientError) bool {
	return !ce.Temp && ce.Code != "" && (ce.Status == http.StatusBadRequest || ce.Status == http.StatusConflict)
}

// refusals are the requests the network refused on arrival, by ref.
func (s *Service) refusals(ctx context.Context) (map[string]refused, error) {
	out := map[string]refused{}
	raw, err := s.store.Setting(ctx, refusedSetting)
	if err != nil || raw == "" {
		return out, err
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("read the requests the network refused: %w", err)
	}
	return out, nil
}

// refuse keeps the network's refusal of the request ref, with its words
// (written for the provider; see intake.RequestStatusProblem).
func (s *Service) refuse(ctx context.Context, ref, message string) error {
	all, err := s.refusals(ctx)
	if err != nil {
		return err
	}
	if message == "" {
		message = "The network could not take this request."
	}
	all[ref] = refused{Message: message, At: s.now().UTC().Format(time.RFC3339)}
	raw, err := json.Marshal(all)
	if err != nil {
		return err
	}
	if err := s.store.SetSetting(ctx, refusedSetting, string(raw)); err != nil {
		return fmt.Errorf("keep the network's refusal of request %s: %w", ref, err)
	}
	return nil
}
