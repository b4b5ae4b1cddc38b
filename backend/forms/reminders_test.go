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
