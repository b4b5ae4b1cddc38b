package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"onramp/backend/forms"
	"onramp/backend/packet"
)

// summary prints what a verified packet holds, for people.
func summary(w io.Writer, p *packet.Packet) {
	d := p.Data
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(tw, "%s\t%s\n", label, clean(value))
		}
	}
	row("Provider", d.Provider.LegalName)
	row("Credentials", d.Provider.Credentials)
	license := forms.LicenseLabel(d.Provider.LicenseType)
	if license == "" {
		license = d.Provider.LicenseType
	}
	row("License type", license)
	row("NPI", d.Provider.NPI)
	row("Email", d.Provider.Email)
	row("Practice", d.Provider.PracticeName)
	row("Packet ID", d.PacketID)
	row("Created", when(d.CreatedAt))
	row("Fingerprint", packet.ShortFingerprint(p.Fingerprint))
	row("", "SHA-256 of data.json: "+p.Fingerprint)
	row("Signed by", "key "+packet.ShortFingerprint(p.SignerFingerprint))
	row("", "key fingerprint: "+p.SignerFingerprint)
	row("Verified", "every file present, every hash right, signature valid")
	tw.Flush()

	fmt.Fprintf(w, "\nForms (%d)\n", len(d.Forms))
	for _, f := range d.Forms {
		title := f.ID
		if s, ok := forms.SchemaByID(f.ID); ok {
			title = s.Title
		}
		fmt.Fprintf(tw, "  %s\tversion %d (schema %d)\tsubmitted %s\n", clean(title), f.Version, f.SchemaVersion, when(f.SubmittedAt))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nAttachments (%d)\n", len(d.Attachments))
	for _, a := range d.Attachments {
		fmt.Fprintf(tw, "  %s\t%s\t%s\tsha256 %s\n", clean(a.Name), clean(a.Type), size(a.Size), a.SHA256)
	}
	tw.Flush()
}

func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// clean makes text from a packet safe to print on a terminal: control
// characters (escape sequences) and bidirectional overrides, which could
// disguise what is shown, become U+FFFD.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}
