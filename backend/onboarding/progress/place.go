package progress

import (
	"context"
	"regexp"
)

// A place is where the provider is in the app: "dashboard", "training",
// "form:general" or "form:credentialing", optionally with "#" and the field
// path they were in. Reopening the app returns there.
var placeRE = regexp.MustCompile(`^(dashboard|training|form:(general|credentialing))(#[A-Za-z0-9.]{1,80})?$`)

const placeKey = "place"

// SetPlace remembers where the provider is; anything malformed is ignored.
func (s *Service) SetPlace(ctx context.Context, place string) error {
	if !placeRE.MatchString(place) {
		return nil
	}
	return s.store.SetSetting(ctx, placeKey, place)
}

// Place is where the provider was, "dashboard" by default.
func (s *Service) Place(ctx context.Context) (string, error) {
	p, err := s.store.Setting(ctx, placeKey)
	if err != nil || p == "" {
		return "dashboard", err
	}
	return p, nil
}
