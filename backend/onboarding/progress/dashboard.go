package progress

import (
	"context"
	"strconv"
	"strings"

	"onramp/backend/forms"
	"onramp/backend/journey"
)

// Dashboard computes the dashboard for today. It also makes sure a
// completed onboarding has its confirmation email queued.
func (s *Service) Dashboard(ctx context.Context) (journey.Dashboard, error) {
	st, err := s.State(ctx)
	if err != nil {
		return journey.Dashboard{}, err
	}
	if st.Complete() {
		if err := s.QueueCompletion(ctx); err != nil {
			return journey.Dashboard{}, err
		}
	}
	d := journey.Build(st, s.now().Local())
	if d.Names, err = s.Names(ctx); err != nil {
		return journey.Dashboard{}, err
	}
	if d.Returned, err = s.returned(ctx); err != nil {
		return journey.Dashboard{}, err
	}
	subs, err := s.store.Submissions(ctx, forms.FormCredentialing)
	if err != nil {
		return journey.Dashboard{}, err
	}
	if len(subs) > 0 {
		latest, err := forms.DecodeData(subs[len(subs)-1].Data)
		if err != nil {
			return journey.Dashboard{}, err
		}
		d.Expirations = forms.Expirations(latest, s.now().Local())
	}
	return d, nil
}

// ReturnedSetting is the settings key under which the network's return of
// a form's version is kept ("<version>|<reason>").
func ReturnedSetting(form string) string { return "returned/" + form }

// returned lists the forms whose latest submitted version the network
// returned, with the reason it gave. A newer version hides it.
func (s *Service) returned(ctx context.Context) ([]journey.Returned, error) {
	out := []journey.Returned{}
	items := map[string]string{forms.FormGeneral: journey.ItemGeneralForm, forms.FormCredentialing: journey.ItemInsuranceForm}
	for _, id := range []string{forms.FormGeneral, forms.FormCredentialing} {
		v, err := s.store.Setting(ctx, ReturnedSetting(id))
		if err != nil {
			return nil, err
		}
		version, reason, ok := strings.Cut(v, "|")
		if !ok {
			continue
		}
		subs, err := s.store.Submissions(ctx, id)
		if err != nil {
			return nil, err
		}
		n, _ := strconv.Atoi(version)
		if len(subs) == 0 || subs[len(subs)-1].Version != n {
			continue
		}
		out = append(out, journey.Returned{Form: id, Item: items[id], Title: forms.Title(id), Version: n, Reason: reason})
	}
	return out, nil
}
