package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/packet"
	"onramp/backend/testenv"
)

// packetDir holds a key, a data.json listing one attachment, the
// attachment, and a packet built from them with the command.
type packetDir struct {
	dir, key, data, attachment, packet string
	dataJSON                           []byte
}

func newPacketDir(t *testing.T) packetDir {
	t.Helper()
	dir := t.TempDir()
	pd := packetDir{
		dir: dir, key: filepath.Join(dir, "install.key"), data: filepath.Join(dir, "data.json"),
		attachment: filepath.Join(dir, "license.png"), packet: filepath.Join(dir, "zoe.onramp"),
	}
	scan := []byte("\x89PNG\r\n\x1a\n a license scan")
	sum := sha256.Sum256(scan)
	sha := hex.EncodeToString(sum[:])
	created := time.Date(2025, 3, 14, 15, 9, 0, 0, time.UTC)
	form := forms.NewData()
	form.Fields["legalName"] = "Zoë Łukasiewicz"
	form.Fields["npi"] = "1234567893"
	d := packet.Data{
		Format: packet.DataFormat, Version: packet.DataVersion, PacketID: "pk-cli-1", CreatedAt: created,
		Provider: packet.Provider{LegalName: "Zoë Łukasiewicz", Credentials: "LCSW", LicenseType: "lcsw", NPI: "1234567893", Email: "zoe@example.org"},
		Forms:    []packet.Form{{ID: forms.FormGeneral, SchemaVersion: 1, Version: 2, SubmittedAt: created.Add(-time.Hour), SHA256: form.Hash(), Data: form}},
		Attachments: []packet.Attachment{{Form: forms.FormCredentialing, Field: "licenseCopy", Name: "license.png", Type: "image/png",
			Size: int64(len(scan)), SHA256: sha, Path: packet.AttachmentPath(sha, "license.png")}},
	}
	pd.dataJSON = d.Encode()
	write(t, pd.data, pd.dataJSON)
	write(t, pd.attachment, scan)
	mustRun(t, exitOK, "keygen", "--out", pd.key)
	mustRun(t, exitOK, "build", "--data", pd.data, "--key", pd.key, "--out", pd.packet, "--attach", pd.attachment)
	return pd
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func mustRun(t *testing.T, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runCLI(args...)
	if code != want {
		t.Fatalf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, stdout, stderr)
	}
	return stdout, stderr
}

func keyFP(t *testing.T, path string) string {
	t.Helper()
	raw, _ := os.ReadFile(path)
	k, err := packet.ParsePrivateKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return keyFingerprint(k)
}

func TestKeygen(t *testing.T) {
	key := filepath.Join(t.TempDir(), "k.key")
	out, _ := mustRun(t, exitOK, "keygen", "--out", key)
	info, err := os.Stat(key)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	if !strings.Contains(out, keyFP(t, key)) {
		t.Errorf("keygen printed %q", out)
	}
	before, _ := os.ReadFile(key)
	if _, stderr := mustRun(t, exitInvalid, "keygen", "--out", key); !strings.Contains(stderr, "never overwrites") {
		t.Errorf("second keygen: %q", stderr)
	}
	if after, _ := os.ReadFile(key); !bytes.Equal(before, after) {
		t.Error("keygen overwrote a key")
	}
	mustRun(t, exitUsage, "keygen")
}

func TestBuildVerifyOpen(t *testing.T) {
	pd := newPacketDir(t)
	fp := keyFP(t, pd.key)

	out, _ := mustRun(t, exitOK, "verify", pd.packet)
	want := "OK " + packet.ShortFingerprint(packet.Fingerprint(pd.dataJSON)) + " " + pd.packet + " (signed by " + packet.ShortFingerprint(fp) + ")\n"
	if out != want {
		t.Errorf("verify printed %q, want %q", out, want)
	}
	mustRun(t, exitOK, "verify", "--trust", fp, pd.packet)
	mustRun(t, exitOK, "verify", pd.packet, "--trust", strings.ToUpper(packet.ShortFingerprint(fp)+fp[32:]))
	other, _ := packet.GenerateKey()
	if out, _ := mustRun(t, exitInvalid, "verify", "--trust", keyFingerprint(other), pd.packet); !strings.Contains(out, "FAIL "+pd.packet+": untrusted-key: ") {
		t.Errorf("verify with another trusted key printed %q", out)
	}
	mustRun(t, exitUsage, "verify", "--trust", "abc", pd.packet)

	out, _ = mustRun(t, exitOK, "open", pd.packet)
	for _, want := range []string{"Zoë Łukasiewicz", "LCSW — Licensed Clinical Social Worker", "1234567893", "pk-cli-1", "2025-03-14 15:09 UTC",
		"General Onboarding form", "version 2", "license.png", "23 bytes", packet.Fingerprint(pd.dataJSON), fp} {
		if !strings.Contains(out, want) {
			t.Errorf("open's summary lacks %q:\n%s", want, out)
		}
	}
	if out, _ = mustRun(t, exitOK, "open", pd.packet, "--json"); out != string(pd.dataJSON) {
		t.Errorf("open --json printed %q", out)
	}
	dir := filepath.Join(pd.dir, "opened")
	mustRun(t, exitOK, "open", "--extract", dir, pd.packet)
	for _, name := range []string{"manifest.json", "manifest.sig", "data.json", "packet.pdf"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if _, stderr := mustRun(t, exitInvalid, "open", "--extract", dir, pd.packet); !strings.Contains(stderr, "not empty") {
		t.Errorf("extracting twice: %q", stderr)
	}
}

func TestBuildIsAtomicAndDeterministic(t *testing.T) {
	pd := newPacketDir(t)
	first, _ := os.ReadFile(pd.packet)
	again := filepath.Join(pd.dir, "again.onramp")
	mustRun(t, exitOK, "build", "--data", pd.data, "--key", pd.key, "--out", again, "--attach", pd.attachment)
	if second, _ := os.ReadFile(again); !bytes.Equal(first, second) {
		t.Error("building twice gave different packets")
	}
	entries, _ := os.ReadDir(pd.dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("left %s behind", e.Name())
		}
	}
}

func TestBuildRefusesWrongAttachments(t *testing.T) {
	pd := newPacketDir(t)
	stray := filepath.Join(pd.dir, "stray.txt")
	write(t, stray, []byte("not listed"))
	out := filepath.Join(pd.dir, "bad.onramp")
	_, stderr := mustRun(t, exitInvalid, "build", "--data", pd.data, "--key", pd.key, "--out", out, "--attach", stray)
	for _, want := range []string{`attachment "license.png"`, "is not given", stray + " is not one of the attachments"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q: %s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused build left %s", out)
	}
	if _, stderr := mustRun(t, exitInvalid, "build", "--data", pd.attachment, "--key", pd.key, "--out", out); !strings.Contains(stderr, "packet data is not valid") {
		t.Errorf("bad data.json: %s", stderr)
	}
	if _, stderr := mustRun(t, exitInvalid, "build", "--data", pd.data, "--key", pd.data, "--out", out, "--attach", pd.attachment); !strings.Contains(stderr, "not an Onramp signing key") {
		t.Errorf("bad key: %s", stderr)
	}
	mustRun(t, exitUsage, "build", "--data", pd.data, "--out", out)
}

func TestTamperedPacket(t *testing.T) {
	pd := newPacketDir(t)
	b, _ := os.ReadFile(pd.packet)
	at := bytes.Index(b, []byte("%PDF")) // the PDF is stored, so its bytes are in the file
	if at < 0 {
		t.Fatal("no PDF in the packet")
	}
	b[at+20] ^= 0x01
	bad := filepath.Join(pd.dir, "tampered.onramp")
	write(t, bad, b)

	out, _ := mustRun(t, exitInvalid, "verify", pd.packet, bad)
	if !strings.HasPrefix(out, "OK ") || !strings.Contains(out, "FAIL "+bad+": ") {
		t.Errorf("verify good and tampered: %q", out)
	}
	out, stderr := mustRun(t, exitInvalid, "open", bad)
	if out != "" || !strings.Contains(stderr, "FAIL "+bad+": hash-mismatch: ") {
		t.Errorf("open tampered: stdout %q stderr %q", out, stderr)
	}
	if _, err := os.Stat(filepath.Join(pd.dir, "x")); err == nil {
		t.Error("unexpected file")
	}
	mustRun(t, exitInvalid, "open", "--extract", filepath.Join(pd.dir, "x"), bad)
	if _, err := os.Stat(filepath.Join(pd.dir, "x")); !errors.Is(err, os.ErrNotExist) {
		t.Error("extracting a tampered packet made its folder")
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"verify"}, {"open"}, {"open", "a", "b"}, {"verify", "--bogus", "x"}} {
		if code, _, stderr := runCLI(args...); code != exitUsage || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
	for _, args := range [][]string{{"-h"}, {"help"}, {"verify", "-h"}, {"build", "--help"}} {
		if code, out, _ := runCLI(args...); code != exitOK || !strings.Contains(out, "usage: onramp-packet") {
			t.Errorf("%q: exit %d, stdout %q", args, code, out)
		}
	}
}

func TestClean(t *testing.T) {
	if got := clean("Zoë\x1b[2J\u202eevil"); got != "Zoë\uFFFD[2J\uFFFDevil" {
		t.Errorf("clean: %q", got)
	}
}

// TestCommand runs the built program for its exit codes.
func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goTool := testenv.Path(t, "go")
	bin := filepath.Join(t.TempDir(), "onramp-packet")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	pd := newPacketDir(t)
	notPacket := filepath.Join(pd.dir, "not.onramp")
	write(t, notPacket, []byte("hello"))
	for _, tt := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"verify", pd.packet}, exitOK, "OK "},
		{[]string{"verify", notPacket}, exitInvalid, "FAIL " + notPacket + ": not-zip: "},
		{[]string{"frobnicate"}, exitUsage, ""},
		{[]string{"-h"}, exitOK, "usage: onramp-packet"},
	} {
		out, err := exec.Command(bin, tt.args...).Output()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.code || !strings.Contains(string(out), tt.out) {
			t.Errorf("%q: exit %d, stdout %q; want %d and %q", tt.args, code, out, tt.code, tt.out)
		}
	}
}

// The repository's realistic example export builds as it is, and the packet
// opens to the same data.
func TestBuildsTheRepositoryExample(t *testing.T) {
	ex := filepath.Join("..", "..", "docs", "examples")
	dir := t.TempDir()
	key, out := filepath.Join(dir, "k.pem"), filepath.Join(dir, "example.onramp")
	mustRun(t, exitOK, "keygen", "--out", key)
	mustRun(t, exitOK, "build", "--data", filepath.Join(ex, "provider.json"), "--key", key, "--out", out,
		"--attach", filepath.Join(ex, "headshot.jpg"), "--attach", filepath.Join(ex, "license.pdf"), "--attach", filepath.Join(ex, "liability.pdf"))
	stdout, _ := mustRun(t, exitOK, "open", "--json", out)
	want, err := os.ReadFile(filepath.Join(ex, "provider.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if json.Unmarshal([]byte(stdout), &a) != nil || json.Unmarshal(want, &b) != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("open --json of the example is not the example's data")
	}
	summary, _ := mustRun(t, exitOK, "open", out)
	for _, s := range []string{"Zoë Łukasiewicz-Núñez", "Psychiatric Nurse Practitioner", "1234567893", "liability.pdf"} {
		if !strings.Contains(summary, s) {
			t.Errorf("summary lacks %q", s)
		}
	}
}
