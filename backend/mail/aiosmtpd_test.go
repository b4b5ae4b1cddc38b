package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"onramp/backend/testenv"
)

// An independent SMTP server, Debian's aiosmtpd, receives a message this
// package built and sent, and Python's standard email parser reads it: the
// UTF-8 subject and names, the Message-ID, and the PDF attachment byte for
// byte.
func TestIndependentServerReadsOurMail(t *testing.T) {
	testenv.NeedPython(t, "aiosmtpd")
	dir := t.TempDir()
	relay := startAiosmtpd(t, dir)

	pdf := samplePDF()
	m := Message{
		ID:      MessageID("email/packet/credentialing/3/5f2c9e0a"),
		From:    Address{Name: "Onramp — Réseau Santé", Email: "noreply@onramp.example"},
		To:      []Address{{Name: "Zoë Łukasiewicz 王芳", Email: "zoe@example.org"}},
		Subject: "Reçu — Zoë Łukasiewicz 王芳",
		Text:    "Dzień dobry, Zoë!\nThe packet is attached.\n",
		Attachments: []Attachment{
			{Name: "Łukasiewicz packet.pdf", Type: "application/pdf", Data: pdf},
		},
		Date: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
	}
	sendCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := Send(sendCtx, relay, m); err != nil {
		t.Fatalf("send to aiosmtpd: %v", err)
	}

	emls, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(emls) != 1 {
		t.Fatalf("aiosmtpd saved %d messages, want 1", len(emls))
	}
	var env struct {
		From string
		To   []string
	}
	raw, _ := os.ReadFile(strings.TrimSuffix(emls[0], ".eml") + ".envelope.json")
	if err := json.Unmarshal(raw, &env); err != nil || env.From != "noreply@onramp.example" || len(env.To) != 1 || env.To[0] != "zoe@example.org" {
		t.Errorf("envelope: %s (%v)", raw, err)
	}

	got := readWithPython(t, emls[0])
	if got.Subject != m.Subject {
		t.Errorf("subject %q, want %q", got.Subject, m.Subject)
	}
	if want := "<" + m.ID + ">"; got.MessageID != want {
		t.Errorf("Message-ID %q, want %q", got.MessageID, want)
	}
	if len(got.From) != 1 || got.From[0] != m.From {
		t.Errorf("From %+v, want %+v", got.From, m.From)
	}
	if len(got.To) != 1 || got.To[0] != m.To[0] {
		t.Errorf("To %+v, want %+v", got.To, m.To[0])
	}
	if strings.ReplaceAll(got.Text, "\r\n", "\n") != m.Text {
		t.Errorf("text %q, want %q", got.Text, m.Text)
	}
	sum := sha256.Sum256(pdf)
	want := pythonAttachment{Filename: m.Attachments[0].Name, Type: "application/pdf", Size: len(pdf), SHA256: hex.EncodeToString(sum[:])}
	if len(got.Attachments) != 1 || got.Attachments[0] != want {
		t.Errorf("attachments %+v, want %+v", got.Attachments, want)
	}
	if len(got.Defects) > 0 {
		t.Errorf("Python's parser found defects: %v", got.Defects)
	}
}

// samplePDF is a PDF-looking file with every byte value in it, long enough
// that its base64 spans many lines.
func samplePDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	for i := 0; i < 256; i++ {
		b.WriteByte(byte(i))
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 64<<10; i++ {
		b.WriteByte(byte(rnd.UintN(256)))
	}
	b.WriteString("\n%%EOF\r\n\x00")
	return b.Bytes()
}

// startAiosmtpd runs aiosmtpd on a free loopback port, saving each message
// into dir as it arrived, and returns the relay to send to once it accepts
// connections. The server is killed when the test ends.
func startAiosmtpd(t *testing.T, dir string) Relay {
	t.Helper()
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var last string
	// Another process may take the free port before aiosmtpd binds it; try
	// a few.
	for try := 0; try < 3; try++ {
		port := freePort(t)
		logPath := filepath.Join(t.TempDir(), "aiosmtpd.log")
		logFile, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(testenv.NeedPython(t, "aiosmtpd"), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:"+strconv.Itoa(port), "-c", "rawsave.RawSave", dir)
		cmd.Env = append(os.Environ(), "PYTHONPATH="+testdata, "PYTHONDONTWRITEBYTECODE=1")
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			t.Fatalf("start aiosmtpd: %v", err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); logFile.Close(); close(exited) }()
		t.Cleanup(func() { cmd.Process.Kill(); <-exited })
		if waitForListener(port, exited, 15*time.Second) {
			return Relay{Host: "127.0.0.1", Port: port}
		}
		cmd.Process.Kill()
		<-exited
		log, _ := os.ReadFile(logPath)
		last = string(log)
	}
	t.Fatalf("aiosmtpd did not start listening:\n%s", last)
	return Relay{}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitForListener reports whether something accepts connections on the
// port before the process exits or the time runs out.
func waitForListener(port int, exited <-chan struct{}, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
			c.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

type pythonAttachment struct {
	Filename string
	Type     string
	Size     int
	SHA256   string
}

// pythonReading is what testdata/readmail.py prints.
type pythonReading struct {
	Subject     string
	MessageID   string
	From, To    []Address
	Text        string
	Attachments []pythonAttachment
	Defects     []string
}

func readWithPython(t *testing.T, path string) pythonReading {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(testenv.NeedPython(t), filepath.Join("testdata", "readmail.py"), path)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("Python's email parser could not read the message: %v\n%s", err, stderr.String())
	}
	var r pythonReading
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("readmail.py output: %v\n%s", err, out)
	}
	return r
}
