// Package instances runs the intake server as a network that outgrew one
// machine runs it: two `onramp-intake serve` processes on one PostgreSQL
// database (a throwaway server the tests start), behind a load balancer
// that the tests make misbehave. The app's side is its real outbox.
package instances

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/testenv"
)

var ctx = context.Background()

// cluster is one PostgreSQL server and database with the onramp-intake
// binary that serves it.
type cluster struct {
	t   testing.TB
	pg  *dbtest.Postgres
	db  string // the database's URL
	bin string
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	pg, err := dbtest.StartPostgres(dbtest.Options{})
	if err != nil {
		testenv.Missing(t, "PostgreSQL: %v", err)
	}
	t.Cleanup(pg.Close)
	db, err := pg.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := dir + string(os.PathSeparator) + "onramp-intake"
	if out, err := exec.Command("go", "build", "-o", bin, "onramp/cmd/onramp-intake").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return &cluster{t: t, pg: pg, db: db, bin: bin}
}

// command runs one support command against the database.
func (c *cluster) command(args ...string) string {
	c.t.Helper()
	out, err := exec.Command(c.bin, append(args[:1:1], append([]string{"--db", c.db}, args[1:]...)...)...).CombinedOutput()
	if err != nil {
		c.t.Fatalf("onramp-intake %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// instance is one running `onramp-intake serve`.
type instance struct {
	cmd  *exec.Cmd
	url  string
	log  *logBuffer
	done chan struct{}
}

// start runs serve on a free loopback port and waits until it listens.
func (c *cluster) start(extra ...string) *instance {
	c.t.Helper()
	cmd := exec.Command(c.bin, append([]string{"serve", "--db", c.db, "--addr", "127.0.0.1:0"}, extra...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	in := &instance{cmd: cmd, log: &logBuffer{}, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		defer close(in.done)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			in.log.add(sc.Text())
			var line struct{ URL string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.URL != "" {
				select {
				case listening <- line.URL:
				default:
				}
			}
		}
		cmd.Wait()
	}()
	select {
	case in.url = <-listening:
	case <-in.done:
		c.t.Fatalf("serve exited:\n%s", in.log)
	case <-time.After(30 * time.Second):
		c.t.Fatalf("serve did not listen within 30 s:\n%s", in.log)
	}
	c.t.Cleanup(in.kill)
	return in
}

// kill ends the instance with SIGKILL, as a crashed machine would.
func (in *instance) kill() {
	in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.done
}

// get asks the instance directly, bypassing the balancer.
func (in *instance) get(path, token string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, in.url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric reads one unlabelled value from the instance's /metrics.
func (in *instance) metric(name string) float64 {
	_, text := in.get("/metrics", "")
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return -1
}

type logBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuffer) add(line string) { l.mu.Lock(); l.lines = append(l.lines, line); l.mu.Unlock() }
func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

type interval struct{ start, end time.Time }

// requests are when the instance answered each request to route, from its
// request log (a line's time is the answer's; ms, how long it took).
func (in *instance) requests(route string) []interval {
	var out []interval
	for _, line := range strings.Split(in.log.String(), "\n") {
		var l struct {
			Time  time.Time
			Msg   string
			Route string
			MS    float64
		}
		if json.Unmarshal([]byte(line), &l) != nil || l.Msg != "request" || l.Route != route {
			continue
		}
		out = append(out, interval{l.Time.Add(-time.Duration(l.MS * float64(time.Millisecond))), l.Time})
	}
	return out
}

// matching is up to n lines holding any of words.
func (l *logBuffer) matching(a, b string, n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		if len(out) < n && (strings.Contains(line, a) || strings.Contains(line, b)) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// count is how many log lines hold every one of words.
func (l *logBuffer) count(words ...string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		all := true
		for _, w := range words {
			all = all && strings.Contains(line, w)
		}
		if all {
			n++
		}
	}
	return n
}

// balancer sends requests round-robin to the instances, as a load
// balancer without health checks does (a dead instance's share fails with
// 502 until it is replaced). With a fault rate, a share of the apps'
// submissions meets trouble instead: a 503 with nothing done, an answer
// lost after the instance committed (the connection dropped), or a stall
// past the app's timeout.
type balancer struct {
	mu       sync.Mutex
	backends []string
	next     int
	faults   func() int // 0: none; 1, 2, 3: the fault
	served   map[string]int
}

func newBalancer(backends ...string) *balancer {
	return &balancer{backends: backends, faults: func() int { return 0 }, served: map[string]int{}}
}

// replace puts a restarted instance's address where the old one was.
func (b *balancer) replace(old, new string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, u := range b.backends {
		if u == old {
			b.backends[i] = new
		}
	}
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	backend := b.backends[b.next%len(b.backends)]
	b.next++
	fault := 0
	if r.URL.Path == "/v1/submissions" {
		fault = b.faults()
	}
	b.served[backend]++
	b.mu.Unlock()
	target, _ := url.Parse(backend)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // a dead instance's 502s are expected
	switch fault {
	case 1:
		http.Error(w, `{"error":{"code":"unavailable","message":"try later"}}`, http.StatusServiceUnavailable)
	case 2: // the instance commits; its answer never reaches the app
		proxy.ServeHTTP(httptest.NewRecorder(), r)
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	case 3:
		time.Sleep(appTimeout + 100*time.Millisecond)
		proxy.ServeHTTP(w, r)
	default:
		proxy.ServeHTTP(w, r)
	}
}

// appTimeout is the app's request timeout in these tests.
const appTimeout = 500 * time.Millisecond

func (b *balancer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return fmt.Sprint(b.served)
}
