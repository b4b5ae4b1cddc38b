package validate

import "time"

// Age is how many whole years someone born on birth has lived on today.
// Both are read as calendar dates, each in its own location; times of day
// don't matter. A birth after today gives a negative age: check for a
// future date first.
//
// A year is complete on the birthday's month and day. Someone born on
// February 29 turns a year older on March 1 in a common year: no US statute
// names the day (a University of Iowa law professor asked in 2020 knew of
// none), and March 1 is the reading that never counts a year before it has
// fully passed, so a minimum age is never reached a day early. It is also
// the day Go's time.AddDate gives for the anniversary (February 29 plus a
// year normalises to March 1), so a rule written as birth.AddDate(n, 0, 0)
// agrees with this one; a test checks that over a century of dates.
func Age(birth, today time.Time) int {
	by, bm, bd := birth.Date()
	ty, tm, td := today.Date()
	age := ty - by
	if tm < bm || tm == bm && td < bd {
		age--
	}
	return age
}
