package onboarding

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/packets"
	"onramp/backend/packet"
	"onramp/backend/secret/secrettest"
	"onramp/backend/version"
)

// submitBothForms submits the General form (with a headshot) and the
// Insurance form (with its documents and both secrets) as a psychiatric NP.
func submitBothForms(t testing.TB, svc *Service, ssn, password string) {
	t.Helper()
	submitBoth(t, svc, both{ssn: ssn, password: password})
}

// both is what submitBoth submits beyond the defaults.
type both struct {
	ssn, password string
	fields        map[string]string // Insurance form values over the defaults
	headshot      []byte            // the General form's (a tiny PNG when nil)
	// docs are the Insurance form's license copy, liability, DEA and board
	// certificates (small PDFs when nil, the DEA file twice).
	docs [4][]byte
}

// submitBoth submits the General form, then sets the secrets and submits
// the Insurance form.
func submitBoth(t testing.TB, svc *Service, b both) {
	t.Helper()
	gen := generalData()
	if b.headshot == nil {
		b.headshot = tinyPNG(t)
	}
	res, err := svc.Forms.AttachFile(ctx, forms.FormGeneral, "headshot", "me.png", b.headshot)
	if err != nil || res.File == nil {
		t.Fatal(err, res.Problem)
	}
	gen.Fields["headshot"] = res.File.Hash
	if r, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, gen); err != nil || r.Version == 0 {
		t.Fatal(err, r.Problems)
	}
	for field, value := range map[string]string{"ssn": b.ssn, "caqhPassword": b.password} {
		if r, err := svc.Forms.SetSecret(ctx, forms.FormCredentialing, field, value); err != nil || r.Problem != nil {
			t.Fatal(field, err, r.Problem)
		}
	}
	d := insuranceData()
	for k, v := range b.fields {
		d.Fields[k] = v
	}
	for i, field := range []string{"licenses.0.document", "liabilityDoc", "deaDoc", "boardDoc"} {
		body := b.docs[i]
		if body == nil {
			body = []byte(tinyPDF + strings.Repeat("%", min(i, 2)+1) + "\n") // the board certificate is the DEA file again
		}
		r, err := svc.Forms.AttachFile(ctx, forms.FormCredentialing, field, "doc"+strconv.Itoa(i)+".pdf", body)
		if err != nil || r.File == nil {
			t.Fatal(field, err, r.Problem)
		}
		forms.SetFile(d, field, r.File.Hash)
	}
	if r, err := svc.Forms.SubmitForm(ctx, forms.FormCredentialing, d); err != nil || r.Version == 0 {
		t.Fatal(err, r.Problems)
	}
}

// insuranceData is a psychiatric NP's Insurance form, without its
// documents.
func insuranceData() forms.Data {
	d := forms.NewData()
	for k, v := range map[string]string{
		"caqhId": "12345678", "caqhUsername": "zluk", "npi": "1234567893", "dateOfBirth": "1985-04-12",
		"carrier": "CPH & Associates", "policyNumber": "PL-99812", "perClaim": "1000000", "aggregate": "3000000",
		"policyEffective": "2026-01-01", "policyExpires": "2027-01-01", "attestName": "Zoë Łukasiewicz", "attestTrue": "yes",
		"deaNumber": "ML1234563", "deaState": "CA", "deaExpires": "2028-01-31", "board": "ANCC",
		"boardSpecialty": "Psychiatric-Mental Health", "boardCertified": "2018-09-01", "boardExpires": "2028-09-01",
	} {
		d.Fields[k] = v
	}
	for _, q := range []string{"licenseAction", "malpractice", "felony", "privileges", "sanctions", "impairment"} {
		d.Fields[q] = "no"
	}
	d.Groups["licenses"] = []map[string]string{{"state": "CA", "number": "NP123", "type": "PMHNP", "issued": "2018-06-01", "expires": "2027-06-01"}}
	d.Groups["education"] = []map[string]string{{"degree": "MSN", "institution": "UCSF", "start": "2014-09-01", "end": "2016-06-01"}}
	d.Groups["work"] = []map[string]string{
		{"employer": "Bay Clinic", "role": "PMHNP", "start": "2019-01-01", "current": "yes"},
		{"employer": "City Hospital", "role": "RN", "start": "2016-07-01", "end": "2019-01-01"},
	}
	return d
}

func TestExportAndOpenPacket(t *testing.T) {
	svc, st := trainingService(t)
	if _, err := svc.Packets.PreviewPacket(ctx); !errors.Is(err, packets.ErrNoPacketYet) {
		t.Fatalf("preview before any form: %v", err)
	}
	const ssn, password = "219-09-8765", "Tr0ub4dor&3-caqh"
	submitBothForms(t, svc, ssn, password)

	prev, err := svc.Packets.PreviewPacket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(prev.Pages) < 6 || prev.Attachments != 4 || !strings.HasPrefix(prev.PacketID, "PKT-") {
		t.Fatalf("preview: %d pages, %d attachments, %q", len(prev.Pages), prev.Attachments, prev.PacketID)
	}
	if !strings.Contains(prev.Pages[0], "Łukasiewicz") || !strings.Contains(prev.Pages[0], "<svg") {
		t.Errorf("the cover page does not show the provider")
	}
	if all := strings.Join(prev.Pages, ""); !strings.Contains(all, "DEA certificate; Board certificate") || !strings.Contains(all, "State license CA NP123") {
		t.Errorf("the attachment index does not name both uses of the shared file, or the license")
	}

	dir := t.TempDir()
	var stages []string
	made, err := svc.Packets.ExportPacket(ctx, prev.PacketID, filepath.Join(dir, "packet"), func(s string) { stages = append(stages, s) })
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "packet.onramp")
	if made.Fingerprint != prev.Fingerprint || made.PacketID != prev.PacketID || strings.Join(stages, ",") != "pdf,sign,check" {
		t.Errorf("export %+v (stages %v) is not the previewed packet %s", made, stages, prev.Fingerprint)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".onramp-packet-*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	// Nothing secret anywhere in the archive, compressed or not.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "data.json" {
			// data.json names the app version that made it.
			if d, err := packet.DecodeData(b); err != nil || d.Version != packet.DataVersion || d.AppVersion != version.String() {
				t.Errorf("data.json: version %d, app version %q (%v)", d.Version, d.AppVersion, err)
			}
		}
		for _, secret := range []string{ssn, "219098765", password, "••••••••", "zluk", "1985-04-12"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %q", f.Name, secret)
			}
		}
	}

	view, err := svc.Packets.OpenPacket(ctx, path)
	if err != nil || !view.Verified || len(view.Problems) > 0 {
		t.Fatalf("open: %v %+v", err, view.Problems)
	}
	if !view.SignedHere || view.Provider.SSNLast4 != "8765" || view.Provider.NPI != "1234567893" || len(view.Forms) != 2 || len(view.Pages) != len(prev.Pages) {
		t.Errorf("view: signedHere=%v ssn=%q npi=%q forms=%d pages=%d", view.SignedHere, view.Provider.SSNLast4, view.Provider.NPI, len(view.Forms), len(view.Pages))
	}
	pdf, err := svc.Packets.PacketPDF(path)
	if b, _ := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("PDF for the viewer: %v", err)
	}

	// A changed packet opens as a list of problems, nothing else.
	bad := append([]byte{}, raw...)
	bad[len(bad)/2] ^= 0xff
	os.WriteFile(path, bad, 0o600)
	view, err = svc.Packets.OpenPacket(ctx, path)
	if err != nil || view.Verified || len(view.Problems) == 0 || view.Provider != nil || len(view.Pages) > 0 {
		t.Errorf("tampered packet: verified=%v problems=%v", view.Verified, view.Problems)
	}

	// The key is the installation's: the same after a restart.
	fp, _ := svc.Packets.SigningKeyFingerprint(ctx)
	again := New(st, fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if fp2, err := again.Packets.SigningKeyFingerprint(ctx); err != nil || fp2 != fp || fp != made.KeyFingerprint {
		t.Errorf("signing key after restart: %s vs %s (%v)", fp2, fp, err)
	}
	if _, mask, ok, _ := st.Secret(ctx, packets.SigningKeySecret); !ok || mask != fp {
		t.Errorf("the signing key is not stored as a secret")
	}

	// A resubmission after the preview: exporting the old preview is refused.
	prev, _ = svc.Packets.PreviewPacket(ctx)
	if _, err := svc.Forms.StartResubmission(ctx, forms.FormGeneral); err != nil {
		t.Fatal(err)
	}
	g := generalData()
	g.Fields["practiceName"] = "Renamed Practice"
	if r, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, g); err != nil || r.Version != 2 {
		t.Fatal(err, r.Problems)
	}
	if _, err := svc.Packets.ExportPacket(ctx, prev.PacketID, filepath.Join(dir, "old"), nil); !errors.Is(err, packets.ErrPreviewGone) {
		t.Errorf("exporting a stale preview: %v", err)
	}
	if _, err := svc.Packets.ExportPacket(ctx, "PKT-NOPE-NOPE", filepath.Join(dir, "x"), nil); !errors.Is(err, packets.ErrPreviewGone) {
		t.Errorf("exporting an unknown packet: %v", err)
	}
}
