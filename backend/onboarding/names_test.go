package onboarding

import (
	"encoding/json"
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// nameCases are name shapes that a "first word of the legal name" rule gets
// wrong, each set up with an optional preferred name and then submitted on
// the General form with its preferred and directory names.
var nameCases = []struct {
	name                     string
	legal, preferred         string // at set-up
	formPreferred, directory string // on the submitted General form
	greetBefore, greetAfter  string // before and after the form is submitted
	directoryBefore          string
}{
	{"family name first, with a preferred name", "Nguyễn Văn An", "An", "An", "An Nguyễn", "An", "An", "Nguyễn Văn An"},
	{"family name first, no preferred name", "Nguyễn Văn An", "", "", "Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn An"},
	{"no spaces", "王芳", "", "", "王芳", "王芳", "王芳", "王芳"},
	{"single name", "Madonna", "", "", "Madonna", "Madonna", "Madonna", "Madonna"},
	{"compound surname, preferred name changed on the form", "María José García López", "María José", "Majo", "María José García López", "María José", "Majo", "María José García López"},
}

func setUpAs(t *testing.T, legal, preferred string) (*Service, *store.Store) {
	t.Helper()
	st := storetest.New(t)
	svc := New(st, fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	v := validValues(t)
	v[forms.SetupLegalName], v["preferredName"] = legal, preferred
	if problems, err := svc.Progress.SetUp(ctx, v); err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	return svc, st
}

func submitGeneralAs(t *testing.T, svc *Service, legal, preferred, directory string) {
	t.Helper()
	d := generalData()
	d.Fields["legalName"], d.Fields["preferredName"], d.Fields["directoryName"] = legal, preferred, directory
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, d); err != nil || res.Version != 1 {
		t.Fatalf("submit the General form: %v %+v", err, res.Problems)
	}
}

// emailsOf decodes the queued emails of one kind, oldest first.
func emailsOf(t *testing.T, st *store.Store, kind string) []mail.Message {
	t.Helper()
	items, err := st.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []mail.Message
	for _, it := range items {
		if it.Kind == kind {
			var m mail.Message
			if err := json.Unmarshal(it.Payload, &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
	}
	return out
}

// The receipt and a help request address the provider by the name they
// gave (the onboarding-complete email is the network's now, addressed by
// the name given at enrollment), never by the legal name's first word or,
// when they gave a preferred name, the whole legal name.
func TestEmailsUseTheNameGiven(t *testing.T) {
	for _, tt := range nameCases {
		t.Run(tt.name, func(t *testing.T) {
			svc, st := setUpAs(t, tt.legal, tt.preferred)
			submitGeneralAs(t, svc, tt.legal, tt.formPreferred, tt.directory)
			receipts := emailsOf(t, st, outmail.KindReceipt)
			if len(receipts) != 1 || !strings.HasPrefix(receipts[0].Text, "Hello "+tt.greetAfter+",\n") || receipts[0].To[0].Name != tt.legal {
				t.Errorf("receipt: %+v", receipts)
			}

			if p, err := svc.Sync.AskForHelp(ctx, "Portal", "Where is the portal?"); err != nil || p != nil {
				t.Fatal(err, p)
			}
			help := emailsOf(t, st, outmail.KindHelp)
			from := "From: " + tt.legal + " <zoe@example.org>\n"
			if tt.greetAfter != tt.legal {
				from += "Goes by: " + tt.greetAfter + "\n"
			}
			if len(help) != 1 || !strings.HasPrefix(help[0].Text, from+"\n") {
				t.Errorf("help request: %q, want it to start %q", help[0].Text, from)
			}
		})
	}
}

// The account and the dashboard carry each use's name: the screens show
// these and derive none.
func TestNamesWithAccountAndDashboard(t *testing.T) {
	for _, tt := range nameCases {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := setUpAs(t, tt.legal, tt.preferred)
			check := func(when, greeting, directory string) {
				t.Helper()
				a, err := svc.Progress.Account(ctx)
				if err != nil {
					t.Fatal(err)
				}
				d, err := svc.Progress.Dashboard(ctx)
				if err != nil {
					t.Fatal(err)
				}
				want := forms.Names{Legal: tt.legal, Greeting: greeting, Salutation: greeting, Directory: directory}
				if a.Names != want || d.Names != want {
					t.Errorf("%s: account %+v, dashboard %+v, want %+v", when, a.Names, d.Names, want)
				}
			}
			check("after set-up", tt.greetBefore, tt.directoryBefore)

			// The General form opens with the set-up's names in it.
			v, err := svc.Forms.Form(ctx, forms.FormGeneral)
			if err != nil || v.Data.Fields["preferredName"] != tt.preferred || v.Data.Fields["directoryName"] != tt.legal {
				t.Errorf("prefilled General form: %v %v", v.Data.Fields, err)
			}
			submitGeneralAs(t, svc, tt.legal, tt.formPreferred, tt.directory)
			check("after the General form", tt.greetAfter, tt.directory)
		})
	}
}

// The account is read as the app opens: a damaged General form submission
// does not stop it, the names then come from the account.
func TestNamesSurviveADamagedSubmission(t *testing.T) {
	svc, st := setUpAs(t, "Nguyễn Văn An", "An")
	if _, err := st.Submit(ctx, store.Submission{Form: forms.FormGeneral, SchemaVersion: 2, Data: []byte("{damaged"), Hash: strings.Repeat("0", 64),
		SubmittedAt: fixedNow()}, "", nil); err != nil {
		t.Fatal(err)
	}
	a, err := svc.Progress.Account(ctx)
	if err != nil || a.Names.Greeting != "An" || a.Names.Directory != "Nguyễn Văn An" {
		t.Errorf("account %+v %v", a.Names, err)
	}
}
