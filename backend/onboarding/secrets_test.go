package onboarding

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
)

// The SSN and the CAQH password never reach the database file in
// plaintext: not through SetSecret, and not when a (buggy) frontend puts
// them into the form data.
func TestSecretsNeverStoredInPlaintext(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	svc := New(st, fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if problems, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	const ssn, password = "219-09-8765", "Tr0ub4dor&3-caqh"

	if res, _ := svc.Forms.SetSecret(ctx, forms.FormCredentialing, "ssn", "666-12-3456"); res.Problem == nil {
		t.Error("an SSN the SSA never issues was accepted")
	}
	res, err := svc.Forms.SetSecret(ctx, forms.FormCredentialing, "ssn", ssn)
	if err != nil || res.Mask != "•••-••-8765" {
		t.Fatalf("ssn: %+v %v", res, err)
	}
	res, err = svc.Forms.SetSecret(ctx, forms.FormCredentialing, "caqhPassword", password)
	if err != nil || res.Mask != "••••••••" {
		t.Fatalf("password: %+v %v", res, err)
	}
	if _, err := svc.Forms.SetSecret(ctx, forms.FormCredentialing, "npi", "1234567893"); err == nil {
		t.Error("a non-secret field was accepted as a secret")
	}

	// A frontend that sends the plaintext in the data: it is replaced.
	d := forms.NewData()
	d.Fields["ssn"] = ssn
	d.Fields["caqhPassword"] = password
	d.Fields["npi"] = "1234567893"
	if _, err := svc.Forms.SaveDraft(ctx, forms.FormCredentialing, d); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Forms.SubmitForm(ctx, forms.FormCredentialing, d); err != nil {
		t.Fatal(err)
	}
	view, err := svc.Forms.Form(ctx, forms.FormCredentialing)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(view)
	if bytes.Contains(out, []byte(ssn)) || bytes.Contains(out, []byte("219-09")) || bytes.Contains(out, []byte(password)) {
		t.Fatal("the form view returns a secret")
	}
	if view.Data.Fields["ssn"] != "•••-••-8765" || view.Data.Fields["caqhPassword"] != "••••••••" {
		t.Errorf("masks: %q %q", view.Data.Fields["ssn"], view.Data.Fields["caqhPassword"])
	}

	// Grep every file of the data folder, WAL included, before and after a
	// checkpoint.
	grep := func(when string) {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			raw, _ := os.ReadFile(f)
			for _, secret := range []string{ssn, "219098765", password} {
				if bytes.Contains(raw, []byte(secret)) {
					t.Errorf("%s: %s holds a secret in plaintext", when, filepath.Base(f))
				}
			}
		}
	}
	grep("before close")
	st.Close()
	grep("after close")

	// The stored secret opens with the same key.
	st, _ = store.Open(context.Background(), filepath.Join(dir, store.FileName))
	defer st.Close()
	sealed, _, ok, _ := st.Secret(ctx, "credentialing/ssn")
	plain, err := secrettest.Box(t).Open(sealed, "credentialing/ssn")
	if !ok || err != nil || string(plain) != ssn {
		t.Errorf("stored SSN does not open: %v", err)
	}
}
