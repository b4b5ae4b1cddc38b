package onboarding

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/webinar"
)

// syncChild syncs the app's data folder with the server at url once, as the
// app does at start, printing "synced" when done.
func syncChild(dir, url string) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		os.Exit(3)
	}
	video, _ := webinar.Bundled()
	box, _ := secret.NewBox([]byte("0123456789abcdef0123456789abcdef"))
	svc := New(st, time.Now, video, box, outmail.Config{})
	fmt.Println("started")
	rep := svc.Sync.Sync(ctx, url)
	fmt.Println("synced", rep.Delivered, rep.Error)
}

// TestSyncSurvivesSIGKILL kills the app mid-sync (while it sends 600 queued
// submissions), restarts it, and checks every item reached the server
// exactly once.
func TestSyncSurvivesSIGKILL(t *testing.T) {
	if dir := os.Getenv("ONRAMP_SYNC_CHILD"); dir != "" {
		syncChild(dir, os.Getenv("ONRAMP_SYNC_URL"))
		return
	}
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	svc := New(st, time.Now, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if p, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || p != nil {
		t.Fatal(err, p)
	}
	acct, _, _ := st.Account(ctx)
	const n = 600
	for i := 1; i <= n; i++ {
		d := forms.NewData()
		d.Fields["note"] = fmt.Sprint(i)
		payload, _ := json.Marshal(intake.SubmissionUpload{Form: "general", Version: i, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
		st.Enqueue(ctx, store.OutboxItem{Kind: formfill.KindSubmission, IdempotencyKey: fmt.Sprint("submission/general/", i), Payload: payload, CreatedAt: time.Now()})
	}
	st.Close()

	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.AddInvitation(ctx, acct.InvitationCode, acct.Email)
	srv := httptest.NewServer(server.NewServer(db).Handler())
	defer srv.Close()

	run := func(killAfter time.Duration) string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSyncSurvivesSIGKILL$")
		cmd.Env = append(os.Environ(), "ONRAMP_SYNC_CHILD="+dir, "ONRAMP_SYNC_URL="+srv.URL)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 10)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		<-lines // started
		if killAfter > 0 {
			time.Sleep(killAfter)
			cmd.Process.Signal(syscall.SIGKILL)
		}
		synced := ""
		for l := range lines {
			if strings.HasPrefix(l, "synced") {
				synced = l
			}
		}
		cmd.Wait()
		return synced
	}
	for _, after := range []time.Duration{60 * time.Millisecond, 60 * time.Millisecond} {
		if res := run(after); res != "" {
			t.Logf("the sync finished before the kill: %s", res)
		}
		subs, _ := db.Submissions(ctx, 1)
		t.Logf("killed after %s: %d of %d on the server", after, len(subs), n)
	}
	if res := run(0); res == "" {
		t.Fatal("the final sync did not finish")
	}
	subs, _ := db.Submissions(ctx, 1)
	if len(subs) != n {
		t.Fatalf("server holds %d submissions, want exactly %d", len(subs), n)
	}
	st, _ = store.Open(ctx, filepath.Join(dir, store.FileName))
	defer st.Close()
	items, _ := st.Outbox(ctx)
	for _, it := range items {
		if it.State != store.OutboxDelivered {
			t.Fatalf("item %d is %s", it.ID, it.State)
		}
	}
}
