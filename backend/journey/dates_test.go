package journey

import (
	"testing"
	"time"

	"onramp/backend/testenv"
)

func day(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestIsBusinessDay(t *testing.T) {
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2026-11-27", true, "day after Thanksgiving is not a federal holiday"},
		{"2026-11-26", false, "Thanksgiving 2026"},
		{"2026-11-28", false, "Saturday"},
		{"2026-11-29", false, "Sunday"},
		{"2021-12-31", false, "New Year's Day 2022 falls on Saturday: observed Friday Dec 31, 2021"},
		{"2022-01-03", true, "the Monday after a Saturday New Year is a business day"},
		{"2023-01-02", false, "New Year's Day 2023 falls on Sunday: observed Monday"},
		{"2022-12-26", false, "Christmas 2022 falls on Sunday: observed Monday"},
		{"2022-12-23", true, "the Friday before a Sunday Christmas is a business day"},
		{"2021-06-18", false, "Juneteenth 2021 falls on Saturday: observed Friday"},
		{"2022-06-20", false, "Juneteenth 2022 falls on Sunday: observed Monday"},
		{"2023-06-19", false, "Juneteenth 2023 on a Monday"},
		{"2020-06-19", true, "Juneteenth was not a federal holiday before 2021"},
		{"2020-07-03", false, "Independence Day 2020 on Saturday: observed Friday"},
		{"2021-07-05", false, "Independence Day 2021 on Sunday: observed Monday"},
		{"2023-11-10", false, "Veterans Day 2023 on Saturday: observed Friday"},
		{"2018-11-12", false, "Veterans Day 2018 on Sunday: observed Monday"},
		{"2021-11-11", false, "Veterans Day on a Thursday"},
		{"2024-01-15", false, "Martin Luther King Jr. Day: third Monday of January"},
		{"2024-01-08", true, "second Monday of January"},
		{"2024-02-19", false, "Washington's Birthday: third Monday of February"},
		{"2024-05-27", false, "Memorial Day: last Monday of May"},
		{"2024-05-20", true, "not the last Monday of May"},
		{"2024-09-02", false, "Labor Day: first Monday of September"},
		{"2024-10-14", false, "Columbus Day: second Monday of October"},
		{"2024-11-28", false, "Thanksgiving: fourth Thursday of November"},
		{"2024-12-25", false, "Christmas on a Wednesday"},
		{"2024-02-29", true, "leap day on a Thursday"},
		{"2028-02-29", true, "leap day on a Tuesday"},
		{"2027-12-31", false, "New Year's Day 2028 on Saturday: observed Friday Dec 31, 2027"},
		{"1999-12-31", false, "New Year's Day 2000 on Saturday: observed Friday Dec 31, 1999"},
		{"2000-01-17", false, "Martin Luther King Jr. Day 2000"},
		{"2000-01-03", true, "first Monday of 2000"},
		{"2100-12-24", false, "Christmas 2100 on Saturday: observed Friday"},
		{"2100-07-05", false, "Independence Day 2100 on Sunday: observed Monday"},
		{"2100-01-01", false, "New Year's Day 2100 on a Friday"},
		{"2100-11-25", false, "Thanksgiving 2100"},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			if got := IsBusinessDay(day(tt.date)); got != tt.want {
				t.Errorf("IsBusinessDay(%s) = %v, want %v (%s)", tt.date, got, tt.want, tt.why)
			}
		})
	}
}

func TestIsBusinessDayIgnoresTimeOfDay(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		testenv.Missing(t, "the time zone database (Debian package tzdata): %v", err)
	}
	// 23:30 on Thanksgiving in New York is already Friday in UTC; the calendar
	// date in the value's own location is what counts.
	late := time.Date(2026, 11, 26, 23, 30, 0, 0, ny)
	if IsBusinessDay(late) {
		t.Error("Thanksgiving late evening counted as a business day")
	}
	early := time.Date(2026, 11, 27, 0, 5, 0, 0, ny)
	if !IsBusinessDay(early) {
		t.Error("the Friday after Thanksgiving, just after midnight, not counted as a business day")
	}
}

func TestNextBusinessDay(t *testing.T) {
	tests := []struct{ from, want string }{
		{"2026-11-25", "2026-11-27"}, // over Thanksgiving
		{"2026-11-27", "2026-11-30"}, // Friday to Monday
		{"2026-11-28", "2026-11-30"}, // Saturday
		{"2026-12-24", "2026-12-28"}, // Christmas on Friday, then the weekend
		{"2021-12-30", "2022-01-03"}, // observed New Year's on Dec 31
		{"2022-12-23", "2022-12-27"}, // observed Christmas on Monday Dec 26
		{"2024-02-28", "2024-02-29"}, // leap day
		{"2023-02-28", "2023-03-01"}, // no leap day
		{"2024-05-24", "2024-05-28"}, // Memorial Day weekend
		{"2021-06-17", "2021-06-21"}, // observed Juneteenth on Friday
		{"2100-12-23", "2100-12-27"}, // observed Christmas Friday, weekend
		{"2026-01-15", "2026-01-16"}, // plain Thursday
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			got := NextBusinessDay(day(tt.from))
			if got.Format(DateLayout) != tt.want {
				t.Errorf("NextBusinessDay(%s) = %s, want %s", tt.from, got.Format(DateLayout), tt.want)
			}
			if h, m, s := got.Clock(); h+m+s != 0 {
				t.Errorf("NextBusinessDay(%s) has a time of day: %s", tt.from, got)
			}
		})
	}
}

func TestNextBusinessDayKeepsLocationAndIgnoresTime(t *testing.T) {
	la := time.FixedZone("PST", -8*3600)
	got := NextBusinessDay(time.Date(2026, 11, 25, 23, 59, 0, 0, la))
	if got.Format(DateLayout) != "2026-11-27" || got.Location() != la {
		t.Errorf("got %s in %s, want 2026-11-27 in PST", got, got.Location())
	}
}

// Over every day of 2000–2100: the next business day is strictly later, is a
// business day, and no business day is skipped.
func TestNextBusinessDayProperties(t *testing.T) {
	for d := day("2000-01-01"); d.Year() <= 2100; d = d.AddDate(0, 0, 1) {
		next := NextBusinessDay(d)
		if !next.After(d) || !IsBusinessDay(next) {
			t.Fatalf("NextBusinessDay(%s) = %s", d.Format(DateLayout), next.Format(DateLayout))
		}
		for between := d.AddDate(0, 0, 1); between.Before(next); between = between.AddDate(0, 0, 1) {
			if IsBusinessDay(between) {
				t.Fatalf("NextBusinessDay(%s) skipped business day %s", d.Format(DateLayout), between.Format(DateLayout))
			}
		}
		if next.Sub(d) > 5*24*time.Hour {
			t.Fatalf("NextBusinessDay(%s) = %s: more than 5 days", d.Format(DateLayout), next.Format(DateLayout))
		}
	}
}

func TestObservedHolidaysEveryYear(t *testing.T) {
	for year := 2000; year <= 2100; year++ {
		hs := ObservedHolidays(year)
		want := 10
		if year >= 2021 {
			want = 11
		}
		if len(hs) != want {
			t.Fatalf("%d: %d holidays, want %d", year, len(hs), want)
		}
		for _, h := range hs {
			if wd := h.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("%d: %s observed on a %s", year, h.Name, wd)
			}
			if IsBusinessDay(h.Date) {
				t.Errorf("%d: %s (%s) counted as a business day", year, h.Name, h.Date.Format(DateLayout))
			}
		}
	}
}

func TestCredentialingExpectedBy(t *testing.T) {
	tests := []struct {
		submitted time.Time
		want      string
	}{
		{day("2026-01-01"), "2026-02-15"},
		{day("2024-01-20"), "2024-03-05"}, // through a leap February
		{day("2023-01-20"), "2023-03-06"},
		{day("2026-12-01"), "2027-01-15"}, // across a year end
		{time.Date(2026, 3, 1, 23, 59, 0, 0, time.UTC), "2026-04-15"},
	}
	for _, tt := range tests {
		if got := CredentialingExpectedBy(tt.submitted).Format(DateLayout); got != tt.want {
			t.Errorf("CredentialingExpectedBy(%s) = %s, want %s", tt.submitted, got, tt.want)
		}
	}
}

func TestProfileLiveDate(t *testing.T) {
	var zero time.Time
	tests := []struct {
		name                         string
		effective, contract, trained time.Time
		want                         string
		ok                           bool
	}{
		{"effective latest", day("2026-03-01"), day("2026-01-15"), day("2026-02-01"), "2026-03-01", true},
		{"contract latest", day("2026-03-01"), day("2026-04-01"), day("2026-02-01"), "2026-04-01", true},
		{"training latest", day("2026-03-01"), day("2026-01-15"), day("2026-05-02"), "2026-05-02", true},
		{"all equal", day("2026-03-01"), day("2026-03-01"), day("2026-03-01"), "2026-03-01", true},
		{"no effective date", zero, day("2026-01-15"), day("2026-02-01"), "", false},
		{"no contract start", day("2026-03-01"), zero, day("2026-02-01"), "", false},
		{"training not done", day("2026-03-01"), day("2026-01-15"), zero, "", false},
		{"time of day ignored", time.Date(2026, 3, 1, 22, 0, 0, 0, time.UTC), day("2026-03-01"), day("2026-02-01"), "2026-03-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ProfileLiveDate(tt.effective, tt.contract, tt.trained)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				if !got.IsZero() {
					t.Errorf("unknown date returned as %s", got)
				}
				return
			}
			if got.Format(DateLayout) != tt.want {
				t.Errorf("got %s, want %s", got.Format(DateLayout), tt.want)
			}
		})
	}
}
