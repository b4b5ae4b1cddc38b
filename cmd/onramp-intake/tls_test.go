package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"onramp/backend/intake"
	"onramp/backend/mail/mailtest"
)

// `onramp-intake serve --tls-cert --tls-key` serves the API over HTTPS:
// a client that trusts the certificate gets through, one that doesn't is
// refused, and plain HTTP to the port gets nothing from the API.
func TestServeOverHTTPS(t *testing.T) {
	bin := buildCommand(t)
	dir := t.TempDir()
	cert, pool := mailtest.SelfSigned(t, "127.0.0.1")
	certFile, keyFile := mailtest.WritePEM(t, dir, cert)
	cmd := exec.Command(bin, "serve", "--db", filepath.Join(dir, "intake.db"), "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	// serve's first log line says where it listens.
	var listening struct{ URL string }
	if err := json.Unmarshal([]byte(line), &listening); err != nil || !strings.HasPrefix(listening.URL, "https://127.0.0.1:") {
		t.Fatalf("serve said %q", line)
	}
	url := listening.URL

	trusting := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := trusting.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz over HTTPS: %v %v", err, resp)
	}
	resp.Body.Close()

	// The app's client uses the system's roots: this certificate is not
	// among them, so the server is not reachable to it.
	client, err := intake.NewClient(url, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if client.Healthy(context.Background()) {
		t.Error("the app's client trusted a self-signed certificate")
	}
	plain := strings.Replace(url, "https://", "http://", 1)
	if resp, err := http.Get(plain + "/healthz"); err == nil {
		if resp.StatusCode == 200 {
			t.Error("the API answered plain HTTP on the HTTPS port")
		}
		resp.Body.Close()
	}
	// And the app never talks plain HTTP to anything but this computer.
	if _, err := intake.NewClient("http://192.0.2.10:8765", "", time.Second); err != intake.ErrInsecureURL {
		t.Errorf("plain HTTP to another machine: %v", err)
	}
}
