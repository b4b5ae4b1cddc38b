package onboarding

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onramp/backend/forms"
)

const tinyPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

func tinyPNG(t testing.TB) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4)))
	return buf.Bytes()
}

func TestAttachments(t *testing.T) {
	svc, _ := trainingService(t)
	res, err := svc.Forms.AttachFile(ctx, forms.FormGeneral, "headshot", "me.png", tinyPNG(t))
	if err != nil || res.File == nil || res.File.Type != "image/png" {
		t.Fatalf("headshot: %+v %v", res, err)
	}
	if res, _ := svc.Forms.AttachFile(ctx, forms.FormGeneral, "headshot", "cv.pdf", []byte(tinyPDF)); res.Problem == nil || !strings.Contains(res.Problem.Message, "PNG or JPEG photo") {
		t.Errorf("a PDF as headshot: %+v", res)
	}
	if _, err := svc.Forms.AttachFile(ctx, forms.FormGeneral, "bio", "x.png", tinyPNG(t)); err == nil {
		t.Error("attached to a text field")
	}
	p, err := svc.Forms.Preview(ctx, res.File.Hash)
	if err != nil || !strings.HasPrefix(p.DataURL, "data:image/png;base64,") {
		t.Errorf("preview: %v %.40s", err, p.DataURL)
	}

	// The draft keeps the reference and the form view describes the file;
	// a reference to a file that was never stored is dropped.
	d := generalData()
	d.Fields["headshot"] = res.File.Hash
	d.Fields["legalName"] = "Zoë Łukasiewicz"
	svc.Forms.SaveDraft(ctx, forms.FormGeneral, d)
	v, _ := svc.Forms.Form(ctx, forms.FormGeneral)
	if v.Data.Fields["headshot"] != res.File.Hash || v.Attachments[res.File.Hash].Name != "me.png" {
		t.Errorf("view: %v %+v", v.Data.Fields["headshot"], v.Attachments)
	}
	d.Fields["headshot"] = strings.Repeat("e", 64)
	svc.Forms.SaveDraft(ctx, forms.FormGeneral, d)
	if v, _ := svc.Forms.Form(ctx, forms.FormGeneral); v.Data.Fields["headshot"] != "" {
		t.Error("kept a reference to an unknown file")
	}

	// From a path (the native dialog) and from base64 (a file input).
	dir := t.TempDir()
	big := filepath.Join(dir, "scan.pdf")
	f, _ := os.Create(big)
	f.Truncate(50 << 20)
	f.Close()
	if res, _ := svc.Forms.AttachPath(ctx, forms.FormGeneral, "headshot", big); res.Problem == nil || !strings.Contains(res.Problem.Message, "50.0 MB") {
		t.Errorf("50 MB file: %+v", res)
	}
	exe := filepath.Join(dir, "photo.png")
	os.WriteFile(exe, append([]byte("MZ"), make([]byte, 100)...), 0o600)
	if res, _ := svc.Forms.AttachPath(ctx, forms.FormGeneral, "headshot", exe); res.Problem == nil || !strings.Contains(res.Problem.Message, "Windows program") {
		t.Errorf("renamed exe: %+v", res)
	}
	if res, _ := svc.Forms.AttachBase64(ctx, forms.FormGeneral, "headshot", "me.png", base64.StdEncoding.EncodeToString(tinyPNG(t))); res.File == nil {
		t.Errorf("base64: %+v", res)
	}
	if res, _ := svc.Forms.AttachBase64(ctx, forms.FormGeneral, "headshot", "me.png", "%%%"); res.Problem == nil {
		t.Error("bad base64 accepted")
	}
}
