package packet

import (
	"crypto/ed25519"
	"fmt"
	"io"
)

// Made describes a packet just written.
type Made struct {
	PacketID       string `json:"packetId"`
	Fingerprint    string `json:"fingerprint"`    // content fingerprint, hex
	KeyFingerprint string `json:"keyFingerprint"` // signer, hex
	PDFBytes       int    `json:"pdfBytes"`
	Bytes          int64  `json:"bytes"`
}

// Make renders the PDF from the data and writes the signed archive to w.
// Data holding a secret or sealed field is refused (ErrSealedInClear).
// files holds the attachments' contents by SHA-256. progress, if not nil,
// hears each stage as it starts.
func Make(w io.Writer, d Data, files map[string][]byte, key ed25519.PrivateKey, progress func(stage string)) (Made, error) {
	say := func(s string) {
		if progress != nil {
			progress(s)
		}
	}
	if err := CheckSealed(d); err != nil {
		return Made{}, err
	}
	dataJSON := d.Encode()
	if _, err := DecodeData(dataJSON); err != nil {
		return Made{}, err
	}
	pub := key.Public().(ed25519.PublicKey)
	doc := NewDoc(d, dataJSON, pub, files)
	say("pdf")
	pdf, err := RenderPDF(doc)
	if err != nil {
		return Made{}, fmt.Errorf("make the PDF: %w", err)
	}
	byPath := make(map[string][]byte, len(d.Attachments))
	for _, a := range d.Attachments {
		b, ok := files[a.SHA256]
		if !ok {
			return Made{}, fmt.Errorf("the attachment %q (%s) is missing", a.Name, a.SHA256)
		}
		byPath[a.Path] = b
	}
	say("sign")
	cw := &countingWriter{w: w}
	if err := Write(cw, Contents{DataJSON: dataJSON, PDF: pdf, Attachments: byPath}, key); err != nil {
		return Made{}, err
	}
	return Made{PacketID: d.PacketID, Fingerprint: doc.Fingerprint, KeyFingerprint: doc.KeyFingerprint, PDFBytes: len(pdf), Bytes: cw.n}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
