package intake_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/packet"
)

// enrolled starts a real intake server on loopback and enrolls a provider.
func enrolled(t *testing.T) *intake.Client {
	t.Helper()
	ctx := context.Background()
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	code, err := db.Invite(ctx, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	c, err := intake.NewClient(srv.URL, "", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	token, err := c.Enroll(ctx, code, "install-1", "Zoë Łukasiewicz", "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	return c.WithToken(token)
}

func signedPacket(t *testing.T, id string) []byte {
	t.Helper()
	key, err := packet.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	d := packet.Data{Format: packet.DataFormat, Version: packet.DataVersion, PacketID: id, CreatedAt: time.Now().UTC().Truncate(time.Second),
		Provider: packet.Provider{LegalName: "Zoë Łukasiewicz", LicenseType: "lcsw", NPI: "1234567893"}}
	var buf bytes.Buffer
	if _, err := packet.Make(&buf, d, nil, key, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUploadPacket(t *testing.T) {
	c := enrolled(t)
	archive := signedPacket(t, "PKT-7Q4M-K2XD")
	got, err := c.UploadPacket(t.Context(), "packet/PKT-7Q4M-K2XD", archive)
	if err != nil || got.PacketID != "PKT-7Q4M-K2XD" || len(got.Fingerprint) != 64 || got.ReceivedAt == "" {
		t.Fatalf("upload: %+v %v", got, err)
	}
	again, err := c.UploadPacket(t.Context(), "packet/PKT-7Q4M-K2XD", archive)
	if err != nil || again != got {
		t.Errorf("retry: %+v %v, first %+v", again, err, got)
	}

	// Refusals are permanent: the outbox fails the item with the reason
	// instead of retrying it.
	broken := bytes.Clone(archive[:len(archive)-40])
	tests := []struct {
		name, key string
		archive   []byte
		status    int
		code      string
	}{
		{"cut off", "k-cut", broken, 422, "bad-packet"},
		{"key reused for another packet", "packet/PKT-7Q4M-K2XD", signedPacket(t, "PKT-OTHR-0001"), 409, "idempotency-conflict"},
		{"another installation's key", "k-other", signedPacket(t, "PKT-OTHR-0002"), 422, "key-changed"},
		{"no key", "", archive, 400, "no-idempotency-key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UploadPacket(t.Context(), tt.key, tt.archive)
			var ce *intake.ClientError
			if !errors.As(err, &ce) || ce.Status != tt.status || ce.Code != tt.code || ce.Temporary() {
				t.Fatalf("%#v", err)
			}
			if tt.code == "bad-packet" && (len(ce.Problems) == 0 || ce.Problems[0].Code != packet.CodeTruncated) {
				t.Errorf("problems: %+v", ce.Problems)
			}
		})
	}
}
