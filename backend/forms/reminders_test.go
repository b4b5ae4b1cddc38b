package forms

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReattestation(t *testing.T) {
	submitted := time.Date(2026, 1, 10, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, attested, today, due, level string
		left                              int
	}{
		{"from submission", "", "2026-01-10", "2026-05-10", "ok", 120},
		{"30 days before", "", "2026-04-10", "2026-05-10", "30", 30},
		{"31 days before", "", "2026-04-09", "2026-05-10", "ok", 31},
		{"on the day", "", "2026-05-10", "2026-05-10", "expired", 0},
		{"next cycle the day after", "", "2026-05-11", "2026-09-07", "ok", 119},
		{"from the attestation date", "2026-03-01", "2026-06-01", "2026-06-29", "30", 28},
	} {
		d := Data{Fields: map[string]string{FieldCAQHAttested: c.attested}}
		x, ok := Reattestation(d, submitted, day(c.today))
		if !ok || x.Expires != c.due || x.Level != c.level || x.DaysLeft != c.left || x.Kind != "caqh" {
			t.Errorf("%s: got %+v %v, want due %s level %s left %d", c.name, x, ok, c.due, c.level, c.left)
		}
	}
	if _, ok := Reattestation(Data{Fields: map[string]string{}}, time.Time{}, day("2026-01-01")); ok {
		t.Error("no attestation date and no submission: want no reattestation")
	}
}

func TestReminders(t *testing.T) {
	d := Data{Fields: map[string]string{"board": "ABPN", "boardExpires": "2026-03-01", "carrier": "Acme", "policyNumber": "P-1", "policyExpires": "2027-01-01"},
		Groups: map[string][]map[string]string{"licenses": {{"state": "CA", "type": "LCSW", "number": "123", "expires": "2026-02-15"}}}}
	exps := Expirations(d, day("2026-02-10"))
	rs := Reminders(exps)
	if len(rs) != 2 {
		t.Fatalf("want the license (30) and board (30) reminders, not the liability policy; got %+v", rs)
	}
	lic := rs[0]
	if lic.Key != "license|ca lcsw license 123|2026-02-15|30" || lic.Level != "30" {
		t.Errorf("license reminder key %q level %q", lic.Key, lic.Level)
	}
	if !strings.Contains(lic.Body, "Your CA LCSW license 123 expires on February 15, 2026, in 5 days.") || !strings.Contains(lic.Body, "Renew your license") {
		t.Errorf("license body: %q", lic.Body)
	}
	if !strings.Contains(rs[1].Body, "Your board certification (ABPN) expires on March 1, 2026") {
		t.Errorf("board body: %q", rs[1].Body)
	}
	// Renewed: a new date is a new credential, no reminder until its own threshold.
	d.Groups["licenses"][0]["expires"] = "2028-02-15"
	for _, r := range Reminders(Expirations(d, day("2026-02-10"))) {
		if r.Kind == "license" {
			t.Errorf("renewed license still reminded: %+v", r)
		}
	}
	x, _ := Reattestation(Data{Fields: map[string]string{FieldCAQHAttested: "2026-01-01"}}, time.Time{}, day("2026-05-01"))
	r := Reminders([]Expiration{x})
	if len(r) != 1 || r[0].Subject != "Your CAQH re-attestation is due today" || r[0].Key != "caqh|caqh re-attestation|2026-05-01|expired" {
		t.Errorf("caqh reminder: %+v", r)
	}
}

func TestInsuranceSchemaVersions(t *testing.T) {
	s2, _ := SchemaAt(FormCredentialing, 2)
	s3, _ := SchemaAt(FormCredentialing, 3)
	has := func(s Schema, name string) bool {
		for _, sec := range s.Sections {
			for _, f := range sec.Fields {
				if f.Name == name {
					return true
				}
			}
		}
		return false
	}
	if has(s2, FieldCAQHAttested) || !has(s3, FieldCAQHAttested) || !has(s2, LicenseDocument) || has(s2, oldLicenseDoc) {
		t.Error("version 2 must have each license's document and no attestation date; version 3 the attestation date")
	}
	s1, _ := SchemaAt(FormCredentialing, 1)
	if has(s1, FieldCAQHAttested) || has(s1, LicenseDocument) || !has(s1, oldLicenseDoc) {
		t.Error("version 1: one license upload, no attestation date")
	}
}

func TestNextThreshold(t *testing.T) {
	for _, c := range []struct {
		kind, expires, today, want string
	}{
		{"license", "2026-06-30", "2026-01-01", "2026-04-01"},
		{"license", "2026-06-30", "2026-04-01", "2026-05-31"},
		{"license", "2026-06-30", "2026-05-31", "2026-06-30"},
		{"license", "2026-06-30", "2026-06-30", ""},
		{"license", "2026-06-30", "2027-01-01", ""},
		{"caqh", "2026-05-10", "2026-01-10", "2026-04-10"},
		{"caqh", "2026-05-10", "2026-04-10", "2026-05-10"},
		{"caqh", "2026-05-10", "2026-05-10", "2026-08-08"}, // 30 days before the next cycle's
	} {
		got, ok := NextThreshold(Expiration{Kind: c.kind, Expires: c.expires}, day(c.today))
		if (c.want == "") == ok || ok && got.Format(dateLayout) != c.want {
			t.Errorf("%s %s on %s: %v %v, want %q", c.kind, c.expires, c.today, got, ok, c.want)
		}
	}
}

// Looking at a provider only on the days NextThreshold names sends every
// reminder that looking each day would, over 500 days: for a license, a
// board certification, a DEA registration already expired, the CAQH cycles
// alone (no credential) and all of them together.
func TestNextThresholdMissesNoReminder(t *testing.T) {
	license := map[string][]map[string]string{"licenses": {{"state": "CA", "type": "LCSW", "number": "1", "expires": "2026-09-15"}}}
	board := map[string]string{"board": "ABPN", "boardExpires": "2026-02-20"}
	dea := map[string]string{"deaNumber": "AB1234563", "deaExpires": "2025-06-01"}
	all := map[string]string{"deaNumber": "AB1234563", "deaExpires": "2025-06-01", "board": "ABPN", "boardExpires": "2026-02-20"}
	for _, c := range []struct {
		name      string
		d         Data
		submitted time.Time
	}{
		{"license", Data{Fields: map[string]string{}, Groups: license}, time.Time{}},
		{"board", Data{Fields: board}, time.Time{}},
		{"expired DEA", Data{Fields: dea}, time.Time{}},
		{"CAQH", Data{Fields: map[string]string{}}, day("2025-11-03")},
		{"all", Data{Fields: all, Groups: license}, day("2025-11-03")},
	} {
		daily, scheduled, looks := walk(c.d, c.submitted, day("2025-12-01"), day("2027-04-15"))
		if len(daily) == 0 || len(scheduled) != len(daily) {
			t.Errorf("%s: looking each day: %d reminders %v; on the scheduled days: %d %v", c.name, len(daily), daily, len(scheduled), scheduled)
		}
		if looks > len(daily)+1 {
			t.Errorf("%s: looked %d times for %d reminders", c.name, looks, len(daily))
		}
	}
}

// walk looks at d each day from first to last, and again only on the days
// NextThreshold names: the reminders each way, and how often it looked
// the second way.
func walk(d Data, submitted, first, last time.Time) (daily, scheduled map[string]bool, looks int) {
	due := func(today time.Time) ([]Reminder, time.Time, bool) {
		exps := Expirations(d, today)
		if x, ok := Reattestation(d, submitted, today); ok {
			exps = append(exps, x)
		}
		var next time.Time
		for _, x := range exps {
			if n, ok := NextThreshold(x, today); ok && (next.IsZero() || n.Before(next)) {
				next = n
			}
		}
		return Reminders(exps), next, !next.IsZero()
	}
	daily, scheduled = map[string]bool{}, map[string]bool{}
	next, more := first, true
	for today := first; !today.After(last); today = today.AddDate(0, 0, 1) {
		rs, _, _ := due(today)
		for _, r := range rs {
			daily[r.Key] = true
		}
		if more && !today.Before(next) {
			looks++
			rs, next, more = due(today)
			for _, r := range rs {
				scheduled[r.Key] = true
			}
		}
	}
	return daily, scheduled, looks
}
