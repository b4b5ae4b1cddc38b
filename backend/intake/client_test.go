package intake

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"onramp/backend/version"
	"runtime"
	"testing"
	"time"
)

func TestClientRefusesPlainHTTPOffLoopback(t *testing.T) {
	for _, ok := range []string{"https://intake.network.example", "http://127.0.0.1:8765", "http://localhost:8765/", "http://[::1]:9000"} {
		if _, err := NewClient(ok, "", time.Second); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	if _, err := NewClient("http://intake.network.example", "", time.Second); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("plain HTTP off loopback: %v", err)
	}
	for _, bad := range []string{"", "ftp://x", "intake.example", "http://"} {
		if _, err := NewClient(bad, "", time.Second); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestClientErrorsSayWhetherToRetry(t *testing.T) {
	c, _ := NewClient("http://127.0.0.1:1", "", 200*time.Millisecond)
	err := c.Help(t.Context(), "k", "s", "m")
	var ce *ClientError
	if !errors.As(err, &ce) || !ce.Temporary() || ce.Status != 0 {
		t.Errorf("unreachable server: %v", err)
	}
	if c.Healthy(t.Context()) {
		t.Error("an unreachable server reported healthy")
	}
}

// Every request names the app and its version, so the network can tell
// which versions are in use.
func TestClientSendsItsVersion(t *testing.T) {
	got := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.Path + " " + r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, "tok", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Healthy(t.Context()) {
		t.Fatal("the test server was not healthy")
	}
	if err := c.Help(t.Context(), "k", "s", "m"); err != nil {
		t.Fatal(err)
	}
	want := "Onramp/" + version.String() + " (" + runtime.GOOS + ")"
	for _, path := range []string{"/healthz", "/v1/help"} {
		if line := <-got; line != path+" "+want {
			t.Errorf("got %q, want %q", line, path+" "+want)
		}
	}
}
