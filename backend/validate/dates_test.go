package validate

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestAge(t *testing.T) {
	tests := []struct {
		birth, today time.Time
		want         int
	}{
		{day(1985, 4, 12), day(2026, 11, 27), 41},
		{day(1985, 4, 12), day(2026, 4, 11), 40},
		{day(1985, 4, 12), day(2026, 4, 12), 41},
		{day(2008, 3, 1), day(2026, 3, 1), 18}, // born in a leap year, after February
		{day(2008, 3, 1), day(2026, 2, 28), 17},
		{day(2006, 3, 1), day(2024, 2, 29), 17}, // today in a leap year, before the birthday
		{day(2006, 3, 1), day(2024, 3, 1), 18},
		{day(2008, 2, 29), day(2026, 2, 28), 17}, // leap-day birthday, common year: not yet…
		{day(2008, 2, 29), day(2026, 3, 1), 18},  // …on March 1
		{day(2008, 2, 29), day(2028, 2, 29), 20}, // on the day in a leap year
		{day(2008, 2, 29), day(2028, 2, 28), 19},
		{day(1999, 12, 31), day(2000, 1, 1), 0},
		{day(2000, 1, 1), day(2000, 1, 1), 0},
		{day(2000, 1, 2), day(2000, 1, 1), -1},
		// Times of day and zones don't move the calendar date.
		{time.Date(2008, 3, 1, 23, 59, 0, 0, time.FixedZone("PST", -8*3600)), time.Date(2026, 3, 1, 0, 1, 0, 0, time.UTC), 18},
	}
	for _, tt := range tests {
		if got := Age(tt.birth, tt.today); got != tt.want {
			t.Errorf("Age(%s, %s) = %d, want %d", tt.birth.Format(time.DateOnly), tt.today.Format(time.DateOnly), got, tt.want)
		}
	}
}

// Age agrees with two simple references on every day of more than a
// century, for birthdays spread over the year and the leap cycle (the ends
// of months, February 28 and 29, March 1, the new year, century years): the
// (month, day) order of the dates, and the count of anniversaries
// birth.AddDate(n, 0, 0) already reached.
func TestAgeMatchesReferences(t *testing.T) {
	var births []time.Time
	for _, y := range []int{1900, 1903, 1904, 1996, 2000, 2007} {
		for m := time.January; m <= time.December; m++ {
			births = append(births, day(y, m, 1), day(y, m+1, 0)) // first and last of the month
		}
		births = append(births, day(y, 2, 28), day(y, 3, 1))
		if day(y, 2, 29).Month() == time.February {
			births = append(births, day(y, 2, 29))
		}
	}
	type date struct {
		t       time.Time
		y, mmdd int
	}
	var days []date
	for d := day(1900, 1, 1); d.Year() <= 2100; d = d.AddDate(0, 0, 1) {
		days = append(days, date{d, d.Year(), int(d.Month())*100 + d.Day()})
	}
	checked := 0
	for _, b := range births {
		by, bmmdd := b.Year(), int(b.Month())*100+b.Day()
		reached, next := 0, b.AddDate(1, 0, 0) // anniversaries on or before today, and the next
		for _, today := range days {
			for !today.t.Before(next) {
				reached++
				next = b.AddDate(reached+1, 0, 0)
			}
			byTuple := today.y - by
			if today.mmdd < bmmdd {
				byTuple--
			}
			got := Age(b, today.t)
			if got != byTuple {
				t.Fatalf("Age(%s, %s) = %d, (month, day) order says %d", b.Format(time.DateOnly), today.t.Format(time.DateOnly), got, byTuple)
			}
			if !today.t.Before(b) && got != reached {
				t.Fatalf("Age(%s, %s) = %d, %d anniversaries reached", b.Format(time.DateOnly), today.t.Format(time.DateOnly), got, reached)
			}
			checked++
		}
	}
	if checked < 5_000_000 {
		t.Fatalf("only %d dates checked", checked)
	}
}
