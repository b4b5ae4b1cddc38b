package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/testenv"
)

// /healthz says the process lives; /readyz that the database answers with
// the schema this build expects, and 503 with the reason when it does not.
func TestReadyz(t *testing.T) {
	e := newEnv(t)
	get := func(path string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	if status, body := get("/readyz"); status != 200 || body["ready"] != true || body["engine"] != dbtest.Engine() {
		t.Errorf("ready: %d %v", status, body)
	}
	// A schema behind this build's (an instance started before migrate).
	stale := `PRAGMA user_version = 3`
	if dbtest.Engine() == "postgres" {
		stale = `UPDATE schema_version SET version = 0`
	}
	if _, err := e.db.db.Exec(stale); err != nil {
		t.Fatal(err)
	}
	if status, body := get("/readyz"); status != 503 || !strings.Contains(body["reason"].(string), "run onramp-intake migrate") {
		t.Errorf("stale schema: %d %v", status, body)
	}
	e.db.Close()
	if status, body := get("/readyz"); status != 503 || !strings.Contains(body["reason"].(string), "does not answer") {
		t.Errorf("database gone: %d %v", status, body)
	}
	if status, body := get("/healthz"); status != 200 || body["ok"] != true {
		t.Errorf("healthz: %d %v", status, body)
	}
}

// Every request is counted and timed by route in /metrics, each accepted
// write counted once (a retry replays it), and logged as one JSON line
// carrying its request ID, which the answer gives back.
func TestMetricsAndRequestLog(t *testing.T) {
	db, err := Open(ctx, dbtest.NewDB(t), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var logged testenv.Buffer
	srv := httptest.NewServer(NewServer(db, WithLogger(slog.New(NewLogHandler(&logged)))).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	e := &env{t, db, srv}
	tok := e.enroll("zoe@example.org", "i-1")
	body := submission("general", 1, "x")
	for range 2 {
		if status, _ := e.call("POST", "/v1/submissions", tok, "s1", body); status >= 300 {
			t.Fatal(status)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/v1/status", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Request-ID", "lb-1234")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Request-ID") != "lb-1234" {
		t.Errorf("X-Request-ID %q, want the load balancer's", resp.Header.Get("X-Request-ID"))
	}
	resp, err = http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`onramp_intake_requests_total{code="201",route="POST /v1/submissions"} 2`,
		`onramp_intake_requests_total{code="200",route="GET /v1/status"} 1`,
		`onramp_intake_request_duration_seconds_count{route="POST /v1/submissions"} 2`,
		`onramp_intake_sync_items_accepted_total{route="POST /v1/submissions"} 1`,
		`onramp_intake_mail_queue_depth 1`, // the insurance guidance waits: no relay here
		`onramp_intake_mail_sent_total 0`,
	} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	var statusLine map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logged.String()), "\n") {
		var l map[string]any
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("not a JSON log line: %s", line)
		}
		if l["request_id"] == nil || l["request_id"] == "" {
			t.Errorf("a request's line without its ID: %s", line)
		}
		if l["route"] == "GET /v1/status" {
			statusLine = l
		}
	}
	if statusLine == nil || statusLine["request_id"] != "lb-1234" || statusLine["status"] != float64(200) || statusLine["msg"] != "request" {
		t.Errorf("the status request's log line: %v", statusLine)
	}
}
