package journey

import "time"

// CredentialingWindowDays is how long payers may take, in calendar days, from
// the Insurance form's submission.
const CredentialingWindowDays = 45

// Date returns the calendar date of t as midnight in t's own location. Every
// date this package computes is a calendar date: the time of day is ignored.
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// sameDay reports whether a and b fall on the same calendar date, each read
// in its own location.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// IsBusinessDay reports whether d is a weekday that is not a US federal
// holiday as observed.
func IsBusinessDay(d time.Time) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !IsFederalHoliday(d)
}

// IsFederalHoliday reports whether d is the observed date of a US federal
// holiday. A holiday on a Saturday is observed the Friday before, one on a
// Sunday the Monday after, so New Year's Day of the next year can be observed
// on December 31.
func IsFederalHoliday(d time.Time) bool {
	for _, year := range []int{d.Year(), d.Year() + 1} {
		for _, h := range ObservedHolidays(year) {
			if sameDay(h.Date, d) {
				return true
			}
		}
	}
	return false
}

// Holiday is one federal holiday on the date it is observed.
type Holiday struct {
	Name string
	Date time.Time // observed date, UTC midnight
}

// ObservedHolidays lists the federal holidays of year on their observed dates.
// Juneteenth became a federal holiday in 2021 and is listed from then on.
func ObservedHolidays(year int) []Holiday {
	fixed := func(name string, m time.Month, day int) Holiday {
		return Holiday{Name: name, Date: observed(time.Date(year, m, day, 0, 0, 0, 0, time.UTC))}
	}
	nth := func(name string, m time.Month, wd time.Weekday, n int) Holiday {
		return Holiday{Name: name, Date: nthWeekday(year, m, wd, n)}
	}
	hs := []Holiday{
		fixed("New Year's Day", time.January, 1),
		nth("Martin Luther King Jr. Day", time.January, time.Monday, 3),
		nth("Washington's Birthday", time.February, time.Monday, 3),
		{Name: "Memorial Day", Date: lastWeekday(year, time.May, time.Monday)},
	}
	if year >= 2021 {
		hs = append(hs, fixed("Juneteenth National Independence Day", time.June, 19))
	}
	return append(hs,
		fixed("Independence Day", time.July, 4),
		nth("Labor Day", time.September, time.Monday, 1),
		nth("Columbus Day", time.October, time.Monday, 2),
		fixed("Veterans Day", time.November, 11),
		nth("Thanksgiving Day", time.November, time.Thursday, 4),
		fixed("Christmas Day", time.December, 25),
	)
}

func observed(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, -1)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

func nthWeekday(year int, m time.Month, wd time.Weekday, n int) time.Time {
	first := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
	offset := (int(wd) - int(first.Weekday()) + 7) % 7
	return first.AddDate(0, 0, offset+7*(n-1))
}

func lastWeekday(year int, m time.Month, wd time.Weekday) time.Time {
	last := time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC)
	offset := (int(last.Weekday()) - int(wd) + 7) % 7
	return last.AddDate(0, 0, -offset)
}

// NextBusinessDay returns the first business day strictly after d, as a
// calendar date in d's location.
func NextBusinessDay(d time.Time) time.Time {
	next := Date(d).AddDate(0, 0, 1)
	for !IsBusinessDay(next) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// CredentialingExpectedBy returns the date by which payers should have
// decided: 45 calendar days after the Insurance form was submitted.
func CredentialingExpectedBy(submitted time.Time) time.Time {
	return Date(submitted).AddDate(0, 0, CredentialingWindowDays)
}

// ProfileLiveDate returns the date the provider's directory profile goes
// live: the latest of the credentialing effective date, the contracted start
// date and the date the training was completed. It is unknown (false) while
// any of them is the zero time.
func ProfileLiveDate(effective, contractStart, trainingDone time.Time) (time.Time, bool) {
	if effective.IsZero() || contractStart.IsZero() || trainingDone.IsZero() {
		return time.Time{}, false
	}
	latest := Date(effective)
	for _, t := range []time.Time{contractStart, trainingDone} {
		if d := Date(t); dateAfter(d, latest) {
			latest = d
		}
	}
	return latest, true
}

// dateAfter compares calendar dates, so that two locations cannot reorder
// dates that are the same day on paper.
func dateAfter(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	if ay != by {
		return ay > by
	}
	if am != bm {
		return am > bm
	}
	return ad > bd
}

// DaysBetween counts the calendar days from a to b (negative when b is
// earlier).
func DaysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	ua := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	ub := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}
