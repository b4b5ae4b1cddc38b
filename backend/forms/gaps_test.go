package forms

import (
	"testing"
	"time"
)

// A gap is measured in calendar months: from the end of August, six months
// reach the end of February, so a gap two days longer needs explaining
// (time.AddDate would reach March 3 and miss it).
func TestWorkGapsCountCalendarMonths(t *testing.T) {
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		end, start string
		gap        bool
	}{
		{"2023-08-31", "2024-03-02", true},  // 6 months and 2 days (leap February)
		{"2023-08-31", "2024-02-29", false}, // exactly 6 months
		{"2022-08-31", "2023-03-01", true},  // 6 months and 1 day
		{"2022-08-31", "2023-02-28", false}, // exactly 6 months
		{"2024-02-28", "2024-08-28", false},
		{"2024-02-28", "2024-08-29", true},
		{"2024-01-15", "2024-05-15", false},
	} {
		items := []map[string]string{
			{"start": "2020-01-01", "end": tt.end},
			{"start": tt.start, "current": "yes"},
		}
		if got := len(WorkGaps(items, today)) > 0; got != tt.gap {
			t.Errorf("%s to %s: gap %v, want %v", tt.end, tt.start, got, tt.gap)
		}
	}
}

// The contracted start date may be up to two years back: a Feb 29 start is
// two years back on Mar 1 two years later, not more.
func TestContractStartTwoYearsOnLeapDay(t *testing.T) {
	for _, tt := range []struct {
		start, today string
		tooEarly     bool
	}{
		{"2024-02-29", "2026-03-01", false},
		{"2024-02-29", "2026-03-02", true},
		{"2024-03-01", "2026-03-01", false},
		{"2024-03-01", "2026-03-02", true},
	} {
		today, _ := time.Parse("2006-01-02", tt.today)
		_, p := contractStart(tt.start, today)
		if got := p != nil && p.Code == "too-early"; got != tt.tooEarly {
			t.Errorf("start %s on %s: too early %v, want %v (%+v)", tt.start, tt.today, got, tt.tooEarly, p)
		}
	}
}
