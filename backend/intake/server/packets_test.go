package server

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onramp/backend/packet"
)

func newKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	k, err := packet.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// makePacket builds a real signed packet with the packet package.
func makePacket(t *testing.T, key ed25519.PrivateKey, id, name string) []byte {
	t.Helper()
	d := packet.Data{
		Format: packet.DataFormat, Version: packet.DataVersion, PacketID: id,
		CreatedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
		Provider:  packet.Provider{LegalName: name, Credentials: "LCSW", LicenseType: "lcsw", NPI: "1234567893", Email: "zoe@example.org"},
	}
	var buf bytes.Buffer
	if _, err := packet.Make(&buf, d, nil, key, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// flipByteIn changes one byte in the middle of the member's stored data.
func flipByteIn(t *testing.T, archive []byte, member string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == member {
			at, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			b := bytes.Clone(archive)
			b[at+int64(f.CompressedSize64)/2] ^= 0x01
			return b
		}
	}
	t.Fatalf("no %s in the packet", member)
	return nil
}

func httptestServer(t *testing.T, s *Server) string {
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func (e *env) upload(token, key string, archive []byte) (int, map[string]any) {
	e.t.Helper()
	return e.call("POST", "/v1/packets", token, key, archive)
}

func problemCodes(body map[string]any) []string {
	var codes []string
	if e, ok := body["error"].(map[string]any); ok {
		ps, _ := e["problems"].([]any)
		for _, p := range ps {
			codes = append(codes, p.(map[string]any)["code"].(string))
		}
	}
	return codes
}

func TestPacketUpload(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	key := newKey(t)
	archive := makePacket(t, key, "PKT-7Q4M-K2XD", "Zoë Łukasiewicz")
	p, problems := packet.Open(bytes.NewReader(archive), int64(len(archive)), packet.Options{})
	if len(problems) > 0 {
		t.Fatal(problems)
	}

	s1, b1 := e.upload(tok, "pk-1", archive)
	if s1 != 200 || b1["packetId"] != "PKT-7Q4M-K2XD" || b1["fingerprint"] != p.Fingerprint || b1["receivedAt"] == "" {
		t.Fatalf("accepted: %d %v", s1, b1)
	}
	t.Run("idempotent retry", func(t *testing.T) {
		s, b := e.upload(tok, "pk-1", archive)
		if s != 200 || b["receivedAt"] != b1["receivedAt"] {
			t.Errorf("retry: %d %v, first %v", s, b, b1)
		}
	})
	t.Run("same packet under a new key", func(t *testing.T) {
		s, b := e.upload(tok, "pk-2", archive)
		if s != 200 || b["receivedAt"] != b1["receivedAt"] {
			t.Errorf("re-upload: %d %v, first %v", s, b, b1)
		}
	})
	t.Run("same key, other packet", func(t *testing.T) {
		other := makePacket(t, key, "PKT-OTHR-0001", "Zoë Łukasiewicz")
		if s, b := e.upload(tok, "pk-1", other); s != 409 || errCode(b) != "idempotency-conflict" {
			t.Errorf("%d %v", s, b)
		}
	})
	t.Run("same packet ID, other content", func(t *testing.T) {
		changed := makePacket(t, key, "PKT-7Q4M-K2XD", "Zoë Ł. Łukasiewicz")
		if s, b := e.upload(tok, "pk-3", changed); s != 409 || errCode(b) != "packet-conflict" {
			t.Errorf("%d %v", s, b)
		}
	})
	t.Run("tampered", func(t *testing.T) {
		b := flipByteIn(t, archive, packet.DataFile)
		s, body := e.upload(tok, "pk-tampered", b)
		if s != 422 || errCode(body) != "bad-packet" || len(problemCodes(body)) == 0 {
			t.Errorf("%d %v", s, body)
		}
		t.Logf("problems: %v", problemCodes(body))
	})
	t.Run("key changed", func(t *testing.T) {
		other := makePacket(t, newKey(t), "PKT-NEWK-0001", "Zoë Łukasiewicz")
		s, b := e.upload(tok, "pk-newkey", other)
		msg, _ := b["error"].(map[string]any)["message"].(string)
		if s != 422 || errCode(b) != "key-changed" || !strings.Contains(msg, "signed by a different installation's key than earlier packets") {
			t.Errorf("%d %v", s, b)
		}
		// Once support forgets the old key, the new one is trusted.
		if err := e.db.ForgetPacketKey(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if s, b := e.upload(tok, "pk-newkey-2", other); s != 200 {
			t.Errorf("after forgetting the key: %d %v", s, b)
		}
	})
	var n int
	e.db.db.QueryRow(`SELECT COUNT(*) FROM packets`).Scan(&n)
	if n != 2 {
		t.Errorf("%d packets stored, want 2", n)
	}
}

func TestPacketUploadBadInput(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	archive := makePacket(t, newKey(t), "PKT-7Q4M-K2XD", "Zoë Łukasiewicz")
	tests := []struct {
		name, token, key string
		body             []byte
		status           int
		code, problem    string
	}{
		{"no token", "", "k", archive, 401, "no-token", ""},
		{"missing key", tok, "", archive, 400, "no-idempotency-key", ""},
		{"empty body", tok, "k", nil, 422, "bad-packet", packet.CodeNotZip},
		{"JSON instead of a packet", tok, "k", []byte(`{"packetId":"PKT-1"}`), 422, "bad-packet", packet.CodeNotZip},
		{"cut off", tok, "k", archive[:len(archive)/2], 422, "bad-packet", packet.CodeTruncated},
		{"bad packet ID", tok, "k", makePacket(t, newKey(t), "PKT/../../etc", "Zoë"), 422, "bad-packet-id", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.upload(tt.token, tt.key, tt.body)
			if status != tt.status || errCode(body) != tt.code {
				t.Errorf("%d %v, want %d %s", status, body, tt.status, tt.code)
			}
			if tt.problem != "" && !strings.Contains(strings.Join(problemCodes(body), " "), tt.problem) {
				t.Errorf("problems %v, want %s", problemCodes(body), tt.problem)
			}
		})
	}
}

// zeros is a body of n zero bytes that is never held in memory.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

func TestPacketUploadTooLarge(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	send := func(body io.Reader, length int64) (int, string) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/v1/packets", body)
		req.ContentLength = length
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", "big")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	t.Run("declared over 200 MiB", func(t *testing.T) {
		status, body := send(&zeros{MaxPacketBody + 1}, MaxPacketBody+1)
		if status != 413 || !strings.Contains(body, `"too-large"`) || !strings.Contains(body, "200 MiB") {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("streamed past the limit", func(t *testing.T) {
		// Without a declared length the limit is found while reading; a
		// smaller limit keeps the test's memory small.
		srv := NewServer(e.db)
		srv.packetLimit = 1 << 20
		small := httptestServer(t, srv)
		req, _ := http.NewRequest("POST", small+"/v1/packets", io.MultiReader(&zeros{2 << 20}))
		req.ContentLength = -1
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", "big")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 413 || !strings.Contains(string(raw), `"too-large"`) {
			t.Errorf("%d %s", resp.StatusCode, raw)
		}
	})
}

// A provider's token reaches only that provider's packets: the same packet
// ID or idempotency key from another provider neither reads nor replaces
// anything of theirs.
func TestPacketsAreIsolated(t *testing.T) {
	e := newEnv(t)
	a := e.enroll("a@example.org", "ia")
	b := e.enroll("b@example.org", "ib")
	keyA, keyB := newKey(t), newKey(t)
	pB := makePacket(t, keyB, "PKT-SAME-0001", "Bea")
	sB, bB := e.upload(b, "shared", pB)
	if sB != 200 {
		t.Fatalf("B: %d %v", sB, bB)
	}
	time.Sleep(2 * time.Millisecond)
	pA := makePacket(t, keyA, "PKT-SAME-0001", "Ann")
	sA, bA := e.upload(a, "shared", pA)
	if sA != 200 || bA["fingerprint"] == bB["fingerprint"] || bA["receivedAt"] == bB["receivedAt"] {
		t.Fatalf("A's upload under B's key and packet ID: %d %v (B: %v)", sA, bA, bB)
	}
	// B's packet is still B's, unchanged, and B's key is not A's.
	var stored []byte
	e.db.db.QueryRow(`SELECT archive FROM packets WHERE provider = 2 AND packet_id = 'PKT-SAME-0001'`).Scan(&stored)
	if !bytes.Equal(stored, pB) {
		t.Error("B's stored packet changed")
	}
	if s, body := e.upload(b, "b-2", makePacket(t, keyB, "PKT-B-0002", "Bea")); s != 200 {
		t.Errorf("B's second packet: %d %v", s, body)
	}
	if s, body := e.upload(a, "a-2", makePacket(t, keyB, "PKT-A-0002", "Ann")); s != 422 || errCode(body) != "key-changed" {
		t.Errorf("A sending a packet signed with B's key: %d %v", s, body)
	}
	pa, _ := e.db.Packets(ctx, 1)
	pb, _ := e.db.Packets(ctx, 2)
	if len(pa) != 1 || len(pb) != 2 {
		t.Errorf("A has %d packets, B %d; want 1 and 2", len(pa), len(pb))
	}
}

// The key sent at enrollment (which the invitation code vouches for) is
// the one packets must carry, from the very first packet.
func TestEnrollmentBindsThePacketKey(t *testing.T) {
	e := newEnv(t)
	mine, other := newKey(t), newKey(t)
	fp := packet.KeyFingerprint(mine.Public().(ed25519.PublicKey))
	code, err := e.db.Invite(ctx, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	enroll := func(key string) (int, map[string]any) {
		return e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": code, "installation": "i1", "name": "Zoë Ł", "email": "zoe@example.org", "signingKey": key}))
	}
	if s, b := enroll("not-a-fingerprint"); s != 400 {
		t.Errorf("a malformed key: %d %v", s, b)
	}
	s, b := enroll(strings.ToUpper(fp))
	if s != 200 {
		t.Fatalf("enroll: %d %v", s, b)
	}
	tok := b["token"].(string)
	if got, _ := e.db.PacketKey(ctx, int64(b["providerId"].(float64))); got != fp {
		t.Errorf("stored key %q, sent %q", got, fp)
	}
	if s, b := e.upload(tok, "k1", makePacket(t, other, "PKT-AAAA-BBBB", "Zoë Łukasiewicz")); s != 422 || errCode(b) != "key-changed" {
		t.Errorf("a first packet signed by another key: %d %v", s, b)
	}
	if s, b := e.upload(tok, "k2", makePacket(t, mine, "PKT-CCCC-DDDD", "Zoë Łukasiewicz")); s != 200 {
		t.Errorf("a packet signed by the enrolled key: %d %v", s, b)
	}
}
