package onboarding

import (
	"bufio"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/validate"
	"onramp/backend/webinar"
)

// crashChild is the process that gets killed: it saves the General form's
// draft in a loop and prints "ack N" after each save returns.
func crashChild(dir string) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		os.Exit(3)
	}
	video, err := webinar.Bundled()
	if err != nil {
		os.Exit(6)
	}
	box, _ := secret.NewBox([]byte("0123456789abcdef0123456789abcdef"))
	svc := New(st, time.Now, video, box, outmail.Config{})
	if _, err := svc.Progress.Account(ctx); err != nil {
		code, _ := validate.NewInvitationCode(nil)
		problems, err := svc.Progress.SetUp(ctx, forms.Values{
			forms.SetupLegalName: "Zoë Łukasiewicz", forms.SetupEmail: "zoe@example.org", forms.SetupLicenseType: "psych-np",
			forms.SetupContractStart: time.Now().Format("2006-01-02"), forms.SetupInvitationCode: code,
		})
		if err != nil || problems != nil {
			os.Exit(4)
		}
	}
	d := generalData()
	start := 0
	if v, err := svc.Forms.Form(ctx, forms.FormGeneral); err == nil {
		start, _ = strconv.Atoi(strings.TrimPrefix(v.Data.Fields["preferredName"], "Save "))
	}
	out := bufio.NewWriter(os.Stdout)
	for n := start + 1; ; n++ {
		d.Fields["preferredName"] = "Save " + strconv.Itoa(n)
		d.Fields["bio"] = strings.Repeat("x", n%1400+150)
		if _, err := svc.Forms.SaveDraft(ctx, forms.FormGeneral, d); err != nil {
			os.Exit(5)
		}
		out.WriteString("ack " + strconv.Itoa(n) + "\n")
		out.Flush()
	}
}

// TestDraftsSurviveSIGKILL kills a saving process many times at random
// moments. After each kill the database passes integrity_check and holds
// every save that was acknowledged.
func TestDraftsSurviveSIGKILL(t *testing.T) {
	if dir := os.Getenv("ONRAMP_CRASH_CHILD"); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 11))
	lastAck := 0
	for round := 0; round < 25; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDraftsSurviveSIGKILL$")
		cmd.Env = append(os.Environ(), "ONRAMP_CRASH_CHILD="+dir)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := make(chan int, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack ")); err == nil {
					acks <- n
				}
			}
			close(acks)
		}()
		time.Sleep(time.Duration(30+r.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for n := range acks {
			lastAck = max(lastAck, n)
		}
		cmd.Wait()

		st, err := store.Open(context.Background(), filepath.Join(dir, store.FileName))
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		var check string
		st.DB().QueryRow("PRAGMA integrity_check").Scan(&check)
		draft, derr := st.Draft(context.Background(), forms.FormGeneral)
		st.Close()
		if check != "ok" {
			t.Fatalf("round %d: integrity_check: %s", round, check)
		}
		if lastAck == 0 {
			continue
		}
		if derr != nil {
			t.Fatalf("round %d: draft lost: %v", round, derr)
		}
		d, err := forms.DecodeData(draft.Data)
		if err != nil {
			t.Fatalf("round %d: draft unreadable: %v", round, err)
		}
		saved, _ := strconv.Atoi(strings.TrimPrefix(d.Fields["preferredName"], "Save "))
		if saved < lastAck {
			t.Fatalf("round %d: acknowledged save %d lost; the draft holds save %d", round, lastAck, saved)
		}
	}
	if lastAck < 25 {
		t.Errorf("only %d saves in 25 rounds: the test did not exercise much", lastAck)
	}
	t.Logf("25 kills, %d acknowledged saves, none lost", lastAck)
}
