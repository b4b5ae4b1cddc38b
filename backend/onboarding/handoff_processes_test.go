package onboarding

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store/storetest"
	"onramp/backend/testenv"
	"onramp/backend/webinar"
)

// buildTools builds onramp-intake and onramp-packet as they ship (with the
// race detector, whose package builds `go test -race` has already cached).
func buildTools(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-race", "-o", dir+string(os.PathSeparator), "onramp/cmd/onramp-intake", "onramp/cmd/onramp-packet")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// runTool runs one command of a built tool and returns what it printed.
func runTool(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// The whole hand-off with the network's real processes: `onramp-intake`
// makes the network key and the invitation (whose welcome email goes out),
// `serve` runs the API, the mail submission service and the mail loop to a
// real upstream SMTP sink, and the app's real service does the provider's
// side with no mail settings at all. Support then works only from the
// command line: the packet arrives by itself and verifies, each sealed
// field reveals with the key and is audited, reviews open the portal, and
// the training completes onboarding with one email from the network. No
// planted secret is in the server's data folder, its log or any email.
func TestHandoffRealProcesses(t *testing.T) {
	bins := buildTools(t)
	intakeBin := filepath.Join(bins, "onramp-intake")
	work := t.TempDir()
	dataDir := filepath.Join(work, "network-data") // the server's data folder
	if err := os.Mkdir(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dataDir, "intake.db")
	keyFile := filepath.Join(work, "network.key") // kept apart from the server

	keyOut := runTool(t, intakeBin, "network-key", "--out", keyFile)
	values := validValues(t)
	code := strings.TrimSpace(runTool(t, intakeBin, "invite", "--db", db, "--email", values[forms.SetupEmail]))

	upstream, relay := inboxRelay(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logged testenv.Buffer
	serve := exec.CommandContext(ctx, intakeBin, "serve", "--db", db, "--addr", "127.0.0.1:0",
		"--smtp", "smtp://"+net.JoinHostPort(relay.Host, strconv.Itoa(relay.Port)), "--mail-from", "Network onboarding <onboarding@network.example>",
		"--submission-addr", "127.0.0.1:0", "--support-email", "support@network.example",
		"--credentialing-email", "credentialing@network.example", "--network-key", keyFile,
		"--portal-url", "https://portal.network.example")
	serve.Stdout, serve.Stderr = &logged, &logged
	serve.Cancel = func() error { return serve.Process.Signal(os.Interrupt) }
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			serve.Wait()
		}
	}
	t.Cleanup(stop)
	var url string
	testenv.Eventually(t, "the server to listen", func() bool {
		m := regexp.MustCompile(`listening on ([^\s"]+)`).FindStringSubmatch(logged.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	})
	delivered := func(match func(string) bool) []string {
		var out []string
		for _, m := range upstream.Messages() {
			if match(m) {
				out = append(out, m)
			}
		}
		return out
	}
	subject := func(s string) func(string) bool {
		return func(m string) bool { return strings.Contains(m, "Subject: "+s) }
	}
	testenv.Eventually(t, "the welcome email", func() bool { return len(delivered(subject("Welcome to the network"))) == 1 })
	if w := delivered(subject("Welcome to the network"))[0]; !strings.Contains(w, code) {
		t.Errorf("the welcome email has no invitation code %s:\n%s", code, w)
	}

	// The provider: set up with the code, no mail settings, both forms.
	svc := New(storetest.New(t), fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	values[forms.SetupInvitationCode] = code
	if problems, err := svc.Progress.SetUp(ctx, values); err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	const ssn, password = "219-09-8765", "Kettle-Plum-7731-caqh"
	planted := []string{ssn, "219098765", password, "zluk", "1985-04-12"} // the user name and birth date submitBoth enters
	submitBothForms(t, svc, ssn, password)
	sync := func(what string) {
		t.Helper()
		if rep := svc.Sync.Sync(ctx, url); !rep.Enrolled || rep.Failed != 0 || rep.Error != "" {
			t.Fatalf("sync (%s): %+v", what, rep)
		}
	}
	sync("the forms")
	sync("the packet made from them")

	// The receipts went through the network's submission service.
	testenv.Eventually(t, "both receipts", func() bool {
		return len(delivered(func(m string) bool {
			return strings.Contains(m, "From: ") && strings.Contains(m, "onboarding@network.example") && strings.Contains(m, "Subject: Received: your")
		})) == 2
	})

	// Support: the packet arrived without an export, and verifies.
	var packets []struct {
		PacketID string `json:"packetId"`
	}
	if err := json.Unmarshal([]byte(runTool(t, intakeBin, "packets", "--db", db, "--json")), &packets); err != nil || len(packets) != 1 {
		t.Fatalf("packets on the server: %+v %v", packets, err)
	}
	pkt := filepath.Join(work, "support.onramp")
	runTool(t, intakeBin, "packet", "--db", db, "--id", packets[0].PacketID, "--out", pkt)
	if out := runTool(t, filepath.Join(bins, "onramp-packet"), "verify", pkt); !strings.HasPrefix(out, "OK ") {
		t.Errorf("onramp-packet verify: %s", out)
	}

	// Support: each sealed field with the key, audited.
	for field, want := range map[string]string{"caqhUsername": "zluk", "caqhPassword": password, "ssn": ssn, "dateOfBirth": "1985-04-12"} {
		got := runTool(t, intakeBin, "reveal", "--db", db, "--provider", "1", "--field", field, "--key", keyFile, "--as", "ana")
		if strings.TrimSpace(got) != want {
			t.Errorf("reveal %s: %q", field, got)
		}
	}
	if audit := runTool(t, intakeBin, "audit", "--db", db, "--provider", "1", "--json"); strings.Count(audit, `"ana"`) != 4 {
		t.Errorf("the audit after four reveals:\n%s", audit)
	}

	// Support reviews both forms: the portal opens and leads somewhere.
	runTool(t, intakeBin, "review", "--db", db, "--provider", "1", "--form", forms.FormGeneral)
	runTool(t, intakeBin, "review", "--db", db, "--provider", "1", "--form", forms.FormCredentialing)
	sync("the reviews")
	if p, err := svc.Sync.CreatePortalPassword(ctx, url, "Blue-Kettle-42-rain"); p != nil || err != nil {
		t.Fatal(p, err)
	}
	sync("the portal")
	if d, err := svc.Progress.Dashboard(ctx); err != nil || d.Portal == nil || d.Portal.URL != "https://portal.network.example" || d.Portal.Username != values[forms.SetupEmail] {
		t.Errorf("the portal access the app shows: %+v %v", d.Portal, err)
	}

	// The training completes onboarding; the network emails it, once.
	play(t, svc, 0, svc.Training.Video().DurationSeconds)
	if _, err := svc.Training.SubmitQuiz(ctx, webinar.AnswerKey()); err != nil {
		t.Fatal(err)
	}
	sync("the training")
	testenv.Eventually(t, "the completion email", func() bool { return len(delivered(subject("Your onboarding is complete"))) == 1 })
	sync("again")
	sync("and again")
	var providers []struct {
		CompletedAt     string `json:"completedAt"`
		ProfileLiveDate string `json:"profileLiveDate"`
	}
	if err := json.Unmarshal([]byte(runTool(t, intakeBin, "providers", "--db", db, "--json")), &providers); err != nil || len(providers) != 1 || providers[0].CompletedAt == "" {
		t.Errorf("providers --json: %+v %v", providers, err)
	}
	d, err := svc.Progress.Dashboard(ctx)
	if err != nil || !d.Complete {
		t.Errorf("the app's dashboard: complete %v, %v", d.Complete, err)
	}

	stop()
	if n := len(delivered(subject("Your onboarding is complete"))); n != 1 {
		t.Errorf("%d completion emails, want 1", n)
	}
	// No planted secret anywhere on the network's side but the sealed boxes.
	texts := map[string]string{"the server's log": logged.String(), "network-key's output": keyOut}
	for i, m := range upstream.Messages() {
		texts[fmt.Sprintf("relayed email %d", i+1)] = m
	}
	assertNonePlanted(t, "after the run", planted, dataDir, texts)
}
