package progress

import (
	"context"
	"strconv"
	"strings"

	"onramp/backend/forms"
	"onramp/backend/journey"
)

// ReturnedSetting is the settings key under which the network's return of
// a form's version is kept ("<version>|<reason>").
func ReturnedSetting(form string) string { return "returned/" + form }

// ReviewedSetting is the settings key under which the version the form's
// review milestone is for is kept: a review of an older version does not
// count for a newer one.
func ReviewedSetting(form string) string { return "reviewed/" + form }

// formReview is what the app knows of the network's word on a form.
type formReview struct {
	latest   int    // the latest submitted version, 0 before any
	current  bool   // the review milestone, if any, is for the latest version
	returned string // the reason the latest version was returned, "" if it was not
}

// reviews reads, for both forms, whether the recorded review and return
// are of the latest submitted version. A review recorded before its version
// was (an older app) counts until the next sync corrects it.
func (s *Service) reviews(ctx context.Context) (map[string]formReview, error) {
	out := map[string]formReview{}
	for _, form := range []string{forms.FormGeneral, forms.FormCredentialing} {
		latest, err := s.store.LatestVersion(ctx, form)
		if err != nil {
			return nil, err
		}
		r := formReview{latest: latest, current: true}
		reviewed, err := s.store.Setting(ctx, ReviewedSetting(form))
		if err != nil {
			return nil, err
		}
		if v, err := strconv.Atoi(reviewed); err == nil && r.latest > 0 {
			r.current = v == r.latest
		}
		returned, err := s.store.Setting(ctx, ReturnedSetting(form))
		if err != nil {
			return nil, err
		}
		if version, reason, ok := strings.Cut(returned, "|"); ok && r.latest > 0 && version == strconv.Itoa(r.latest) {
			r.returned = reason
		}
		out[form] = r
	}
	return out, nil
}

// returned lists the forms whose latest submitted version the network
// returned, with the reason it gave. A newer version hides it.
func (s *Service) returned(ctx context.Context) ([]journey.Returned, error) {
	reviews, err := s.reviews(ctx)
	if err != nil {
		return nil, err
	}
	out := []journey.Returned{}
	items := map[string]string{forms.FormGeneral: journey.ItemGeneralForm, forms.FormCredentialing: journey.ItemInsuranceForm}
	for _, id := range []string{forms.FormGeneral, forms.FormCredentialing} {
		if r := reviews[id]; r.returned != "" {
			out = append(out, journey.Returned{Form: id, Item: items[id], Title: forms.Title(id), Version: r.latest, Reason: r.returned})
		}
	}
	return out, nil
}
