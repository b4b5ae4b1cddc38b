package onboarding

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/npi"
)

// The registry's record is compared with what the provider told Onramp at
// set-up: a psychiatric NP's NPI registered as a clinical social worker,
// under another name, is said in both respects.
func TestNPIComparedWithTheAccount(t *testing.T) {
	svc, _ := trainingService(t)
	who, err := svc.NPIWho(ctx)
	if err != nil || who.LegalName != "Zoë Łukasiewicz" || who.License != forms.LicensePsychNP {
		t.Fatalf("who: %+v %v", who, err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"result_count":1,"results":[{"enumeration_type":"NPI-1","number":"1234567893","basic":{"first_name":"ZOE","last_name":"LUKASIEWICZ","status":"A"},` +
			`"taxonomies":[{"code":"1041C0700X","desc":"Social Worker, Clinical","state":"CA","license":"L1","primary":true}]}]}`))
	}))
	defer srv.Close()
	c := npi.New(srv.URL).CheckField(ctx, "npi", "1234567893", who)
	if c.Record == nil || len(c.Findings) != 1 || c.Findings[0].Code != "taxonomy" {
		t.Errorf("check: %+v", c)
	}
}
