package onboarding

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/http/httptest"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/packet"
	"onramp/backend/store"
)

// attachmentOf returns the first attachment of a raw message.
func attachmentOf(t *testing.T, raw string) (name string, data []byte) {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no attachment: %v", err)
		}
		if disp, p, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition")); disp == "attachment" {
			body, _ := io.ReadAll(part)
			if part.Header.Get("Content-Transfer-Encoding") == "base64" {
				body, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(body)))
				if err != nil {
					t.Fatal(err)
				}
			}
			dec := new(mime.WordDecoder)
			n, _ := dec.DecodeHeader(p["filename"])
			return n, body
		}
	}
}

// An exported packet is queued for the network in one go: its upload to
// the intake server and its email to the credentialing team (attached),
// from a private copy kept in the data folder. Each is delivered once.
func TestExportedPacketGoesToTheNetwork(t *testing.T) {
	svc, st := trainingService(t)
	submitBothForms(t, svc, "219-09-8765", "pw-123456789")
	prev, err := svc.Packets.PreviewPacket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "mine.onramp")
	made, err := svc.Packets.ExportPacket(ctx, prev.PacketID, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	exported, _ := os.ReadFile(out)
	private := filepath.Join(filepath.Dir(st.Path()), "packets", prev.PacketID+".onramp")
	kept, err := os.ReadFile(private)
	if err != nil || !bytes.Equal(kept, exported) {
		t.Fatalf("private copy: %v (equal %v)", err, bytes.Equal(kept, exported))
	}
	if fi, _ := os.Stat(private); fi.Mode().Perm() != 0o600 {
		t.Errorf("private copy mode %v", fi.Mode().Perm())
	}
	items, _ := svc.Sync.Outbox(ctx)
	var whats []string
	for _, it := range items {
		whats = append(whats, it.What)
	}
	all := strings.Join(whats, "|")
	if !strings.Contains(all, "Support packet "+prev.PacketID) || !strings.Contains(all, "Email: Credentialing packet: Zoë Łukasiewicz") {
		t.Fatalf("outbox after export: %v", whats)
	}

	// The email, through a real SMTP server on loopback.
	inbox, relay := inboxRelay(t)
	svc.Mail.Use(outmail.Config{Relay: relay, From: mail.Address{Name: "Onramp", Email: "onramp@localhost"},
		Support: "support@network.example", Credentialing: "credentialing@network.example"})

	// The intake server, for the upload.
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acct, _, _ := st.Account(ctx)
	if err := db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	defer srv.Close()
	for range 2 { // the second sync finds nothing left to send
		if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" || !rep.Online {
			t.Fatalf("sync: %+v", rep)
		}
	}
	var packetMails []string
	for _, m := range inbox.Messages() {
		if strings.Contains(m, "credentialing@network.example") {
			packetMails = append(packetMails, m)
		}
	}
	if len(packetMails) != 1 {
		t.Fatalf("%d packet emails to the credentialing team", len(packetMails))
	}
	name, data := attachmentOf(t, packetMails[0])
	if name != prev.PacketID+".onramp" || !bytes.Equal(data, exported) {
		t.Errorf("attachment %q (%d bytes) is not the exported packet", name, len(data))
	}
	if p, problems := packet.Open(bytes.NewReader(data), int64(len(data)), packet.Options{}); len(problems) > 0 || p.Fingerprint != made.Fingerprint {
		t.Errorf("the emailed packet does not verify: %v", problems)
	}
	items, _ = svc.Sync.Outbox(ctx)
	for _, it := range items {
		if it.State != store.OutboxDelivered {
			t.Errorf("%s is %s: %s", it.What, it.State, it.LastError)
		}
	}
	provs, err := db.Providers(ctx)
	if err != nil || len(provs) != 1 {
		t.Fatalf("providers: %v %v", provs, err)
	}
	// The exported packet, beside the one the submission made by itself.
	stored, err := db.Packets(ctx, provs[0].ID)
	exportedThere := 0
	for _, p := range stored {
		if p.PacketID == prev.PacketID && p.Fingerprint == made.Fingerprint {
			exportedThere++
		}
	}
	if err != nil || len(stored) != 2 || exportedThere != 1 {
		t.Errorf("the intake server holds %+v (%v)", stored, err)
	}
	if key, _ := db.PacketKey(ctx, provs[0].ID); key != made.KeyFingerprint {
		t.Errorf("the server holds key %q for the provider, the app signs with %q", key, made.KeyFingerprint)
	}
	archive, _, err := db.PacketArchive(ctx, provs[0].ID, prev.PacketID)
	if err != nil || !bytes.Equal(archive, exported) {
		t.Errorf("the stored archive is not the exported one: %v", err)
	}
}
