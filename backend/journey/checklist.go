package journey

import (
	"strings"
	"time"
)

// longDate is how a reason names a date.
const longDate = "Monday, January 2, 2006"

// ChecklistLock says why the provider can't tick a checklist item yet, ""
// when they can. Each item waits for what makes it possible:
//   - the payouts account is for insurance payouts, which start with the
//     credentialing the Insurance form sets off;
//   - a first client comes to a practice the network knows: the General
//     Onboarding form gives it the practice, the locations and the
//     cash-pay rate a client pays;
//   - the directory profile can only be seen live once its live date is
//     known and has come.
//
// Unticking is always allowed: an item ticked by mistake can be taken back.
func (s State) ChecklistLock(item string, today time.Time) string {
	switch item {
	case ItemPayouts:
		if s.CredentialingSubmitted.IsZero() {
			return "Opens once you've submitted the Insurance form: payouts are for the insurance visits it gets you credentialed for."
		}
	case ItemFirstClient:
		if s.GeneralSubmitted.IsZero() {
			return "Opens once you've submitted the General Onboarding form: it gives the network your practice and your cash-pay rate."
		}
	case ItemDirectory:
		live, known := ProfileLiveDate(s.EffectiveDate, s.ContractStart, s.TrainingDone())
		if !known {
			return "Your profile's live date isn't known yet: it waits for " + joinWords(s.profileLive().Waiting) + "."
		}
		if DaysBetween(Date(today), live) > 0 {
			return "Your profile goes live on " + live.Format(longDate) + "."
		}
	}
	return ""
}

// joinWords makes "a", "a and b", "a, b and c".
func joinWords(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
