package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/retry"
)

// How the flaky proxy treats a session.
const (
	passThrough = iota
	cutAtData   // hang up when the server says 354: the message never arrives
	cutAfterAck // hang up instead of passing on the server's 250 to DATA: the message is in, the client does not know
)

// flakyProxy stands between clients and the submission service on
// loopback and breaks every fifth session, alternating the two ways.
type flakyProxy struct {
	ln     net.Listener
	target string

	sessions, lostAcks atomic.Int64
}

func startFlakyProxy(t testing.TB, target string) *flakyProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &flakyProxy{ln: ln, target: target}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n := p.sessions.Add(1)
			mode := passThrough
			if n%5 == 0 {
				mode = cutAtData + int(n/5)%2
			}
			go p.pipe(c, mode)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return p
}

func (p *flakyProxy) addr() string { return p.ln.Addr().String() }

func (p *flakyProxy) pipe(client net.Conn, mode int) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	go io.Copy(server, client)
	r := bufio.NewReader(server)
	sawData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch {
		case strings.HasPrefix(line, "354") && mode == cutAtData:
			return
		case strings.HasPrefix(line, "354"):
			sawData = true
		case strings.HasPrefix(line, "250") && sawData && mode == cutAfterAck:
			p.lostAcks.Add(1)
			return
		}
		if _, err := client.Write([]byte(line)); err != nil {
			return
		}
	}
}

// TestSubmission1000WhileSessionsFail: 1,000 emails through the submission
// service while a fifth of the sessions break (half of those after the
// service accepted the message, so the client sends it again): each is
// delivered upstream exactly once.
func TestSubmission1000WhileSessionsFail(t *testing.T) {
	m := newMailEnv(t, "127.0.0.1", MailSubmissionConfig{Rate: RateLimit{Burst: 10_000, Every: time.Millisecond}})
	proxy := startFlakyProxy(t, m.addr)
	route := m.relay()
	host, port, _ := net.SplitHostPort(proxy.addr())
	route.Host = host
	route.Port, _ = strconv.Atoi(port)

	const emails, workers = 1000, 8
	ids := make(chan int)
	var wg sync.WaitGroup
	var failures atomic.Int64
	for range workers {
		wg.Go(func() {
			for i := range ids {
				msg := rawMessage(fmt.Sprintf("m%04d@onramp.invalid", i), routeFrom, providerAddr, "receipt")
				var err error
				for try := 0; try < 10; try++ {
					if err = mail.SendRaw(ctx, route, routeFrom, []string{providerAddr}, msg); err == nil {
						break
					}
				}
				if err != nil {
					failures.Add(1)
					t.Errorf("email %d never accepted: %v", i, err)
				}
			}
		})
	}
	for i := range emails {
		ids <- i
	}
	close(ids)
	wg.Wait()
	if failures.Load() > 0 {
		t.FailNow()
	}
	if proxy.lostAcks.Load() == 0 || proxy.sessions.Load() <= emails {
		t.Fatalf("the proxy broke too little: %d sessions, %d lost acknowledgements", proxy.sessions.Load(), proxy.lostAcks.Load())
	}
	if n := m.queued(t); n != emails {
		t.Fatalf("queued %d, want %d", n, emails)
	}

	var inbox mailtest.Inbox
	sink, err := mail.NewSink("127.0.0.1:0", inbox.Save)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	_, sp, _ := net.SplitHostPort(sink.Addr())
	relay := mail.Relay{Host: "127.0.0.1"}
	relay.Port, _ = strconv.Atoi(sp)
	res, err := NewMailer(m.db, relay, mail.Address{Email: routeFrom}, retry.GuidanceMail).SendDue(ctx)
	if err != nil || res.Sent != emails {
		t.Fatalf("relayed %+v, %v", res, err)
	}
	seen := map[string]int{}
	for _, raw := range inbox.Messages() {
		msg, err := netmail.ReadMessage(strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		seen[msg.Header.Get("Message-Id")]++
	}
	if len(seen) != emails {
		t.Errorf("%d distinct messages arrived upstream, want %d", len(seen), emails)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s arrived %d times", id, n)
		}
	}
	t.Logf("%d sessions, %d acknowledgements lost", proxy.sessions.Load(), proxy.lostAcks.Load())
}

// BenchmarkSubmissionAccepted: messages the submission service accepts per
// second on loopback, one session per message (as the app sends), from 8
// clients at once; each message is queued durably before its 250. Run
// with -benchtime=2000x.
func BenchmarkSubmissionAccepted(b *testing.B) {
	e := &env{t: b}
	db, err := Open(ctx, dbtest.NewDB(b), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	e.db = db
	svc := NewMailSubmission(db, MailSubmissionConfig{From: routeFrom, Support: supportAddr, Credentialing: credAddr,
		Rate: RateLimit{Burst: 1 << 30, Every: time.Nanosecond}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go svc.Serve(ln)
	defer svc.Close()
	code, err := db.Invite(ctx, providerAddr)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(db).Handler())
	defer srv.Close()
	e.srv = srv
	status, body := e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": code, "installation": "bench", "name": "Zoë"}))
	if status != 200 {
		b.Fatalf("enroll: %d %v", status, body)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	relay := mail.Relay{Host: "127.0.0.1", Username: SubmissionUser(int64(body["providerId"].(float64))), Password: body["token"].(string)}
	relay.Port, _ = strconv.Atoi(port)
	body1k := strings.Repeat("A receipt line of about sixty characters, as the app sends.\r\n", 16)
	ids := make(chan int)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range 8 {
		wg.Go(func() {
			for i := range ids {
				msg := rawMessage(fmt.Sprintf("b%d-%d@onramp.invalid", i, start.UnixNano()), routeFrom, providerAddr, body1k)
				if err := mail.SendRaw(ctx, relay, routeFrom, []string{providerAddr}, msg); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range b.N {
		ids <- i
	}
	close(ids)
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}
