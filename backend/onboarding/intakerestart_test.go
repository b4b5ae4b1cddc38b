package onboarding

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"onramp/backend/clocktest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// intakeProcess is the intake server as `onramp-intake serve` runs it: an
// HTTP server on a fixed address over a SQLite file, which can be stopped
// abruptly and started again on the same address and file.
type intakeProcess struct {
	t      *testing.T
	addr   string
	dbPath string
	db     *server.DB
	srv    *http.Server
	// stopAfter, when above zero, stops the server once it has stored that
	// many submissions, before it answers the last one.
	mu        sync.Mutex
	stopAfter int
	stopped   chan struct{}
}

func (p *intakeProcess) start() {
	p.t.Helper()
	db, err := server.Open(ctx, p.dbPath, time.Now)
	if err != nil {
		p.t.Fatal(err)
	}
	var ln net.Listener
	for try := 0; ; try++ { // the old socket may take a moment to let go
		if ln, err = net.Listen("tcp", p.addr); err == nil || try == 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatalf("listen again on %s: %v", p.addr, err)
	}
	p.addr = ln.Addr().String()
	p.db = db
	p.srv = &http.Server{Handler: p.countdown(server.NewServer(db).Handler())}
	go p.srv.Serve(ln)
}

// stop ends the server as a crash would: open connections are cut, and the
// database is closed once the requests in flight are done with it.
func (p *intakeProcess) stop() {
	p.srv.Close()
	p.db.Close()
}

func (p *intakeProcess) countdown(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		last := false
		if r.URL.Path == "/v1/submissions" && p.stopAfter > 0 {
			p.stopAfter--
			last = p.stopAfter == 0
		}
		p.mu.Unlock()
		if !last {
			next.ServeHTTP(w, r)
			return
		}
		// The last one is stored, then the server dies before replying: the
		// listener and this connection close with the answer unwritten.
		next.ServeHTTP(httptest.NewRecorder(), r)
		p.stop()
		close(p.stopped)
	})
}

// The intake server is stopped in the middle of the app's sync, after
// storing a submission it never acknowledged, and started again on the same
// address and SQLite file: every queued submission is stored exactly once.
func TestSyncAcrossIntakeServerRestart(t *testing.T) {
	clk := clocktest.New(fixedNow())
	st := storetest.New(t)
	svc := New(st, clk.Now, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if p, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || p != nil {
		t.Fatal(err, p)
	}
	const n = 300
	for i := 1; i <= n; i++ {
		d := forms.NewData()
		d.Fields["note"] = fmt.Sprint(i)
		payload, _ := json.Marshal(intake.SubmissionUpload{Form: forms.FormGeneral, Version: i, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: clk.Now(), Data: d.Encode()})
		if _, err := st.Enqueue(ctx, store.OutboxItem{Kind: formfill.KindSubmission, IdempotencyKey: fmt.Sprint("submission/general/", i), Payload: payload, CreatedAt: clk.Now()}); err != nil {
			t.Fatal(err)
		}
	}

	intakeSrv := &intakeProcess{t: t, addr: "127.0.0.1:0", dbPath: filepath.Join(t.TempDir(), "intake.db"), stopAfter: n / 3, stopped: make(chan struct{})}
	intakeSrv.start()
	acct, _, _ := st.Account(ctx)
	if err := intakeSrv.db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil {
		t.Fatal(err)
	}
	url := "http://" + intakeSrv.addr

	// Besides the submissions, two reports go to the network: the start
	// date set-up queued (before them, so delivered first) and the app's
	// version the first sync queues (after them).
	const reports = 2
	rep := svc.Sync.Sync(ctx, url)
	<-intakeSrv.stopped
	if !rep.Enrolled || rep.Delivered != n/3-1+1 || rep.Retrying == 0 {
		t.Fatalf("the server did not go away mid-sync: %+v", rep)
	}
	t.Logf("first sync, the server stopped after storing %d: %+v", n/3, rep)

	intakeSrv.start()
	t.Cleanup(intakeSrv.stop)
	delivered := rep.Delivered
	for round := 0; round < 10 && delivered < n+reports; round++ {
		clk.Add(time.Hour) // past every backoff
		rep = svc.Sync.Sync(ctx, url)
		delivered += rep.Delivered
		if rep.Failed > 0 {
			t.Fatalf("items failed after the restart: %+v", rep)
		}
	}
	items, _ := st.Outbox(ctx)
	for _, it := range items {
		if it.Kind == formfill.KindSubmission && it.State != store.OutboxDelivered {
			t.Fatalf("%s is %s: %s", it.IdempotencyKey, it.State, it.LastError)
		}
	}
	subs, err := intakeSrv.db.Submissions(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, s := range subs {
		if seen[s.Version] {
			t.Fatalf("version %d stored twice", s.Version)
		}
		seen[s.Version] = true
	}
	if len(subs) != n {
		t.Fatalf("server holds %d submissions, want exactly %d", len(subs), n)
	}
}
