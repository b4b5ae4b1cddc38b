// Package run checks tools/run.sh (`make run`) without a display, stopping
// it before it opens the app (ONRAMP_RUN_NO_APP=1): the services it starts
// are its own and answer, and a port something else holds stops it with a
// plain reason instead of an app that cannot sync.
package run

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"onramp/backend/testenv"
	"onramp/backend/validate"
)

// runScript runs tools/run.sh with its data in a temporary folder and env
// added, and returns what it printed and its exit code.
func runScript(t *testing.T, env ...string) (stdout, stderr string, code int) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the intake server and the mail sink")
	}
	testenv.Need(t, "bash", "curl", "go")
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "tools", "run.sh"))
	cmd.Env = append(os.Environ(), "ONRAMP_RUN_NO_APP=1", "DATA="+filepath.Join(tmp, "data"),
		"INTAKE_DB="+filepath.Join(tmp, "intake.db"), "MAIL_DIR="+filepath.Join(tmp, "mail"), "RUN_LOGS="+tmp)
	cmd.Env = append(cmd.Env, env...)
	// Its own process group: a script stopped at the deadline takes the
	// services it started with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// squat holds a loopback port with a web server that is not Onramp's, as
// `python3 -m http.server` would, and returns its address.
func squat(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

func TestTakenPortStopsTheRun(t *testing.T) {
	for _, tt := range []struct {
		name, variable, other, says string
	}{
		{"intake server", "INTAKE_ADDR", "SMTP_ADDR", "Cannot start the intake server: port "},
		{"mail sink", "SMTP_ADDR", "INTAKE_ADDR", "Cannot start the mail sink: port "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			taken := squat(t)
			_, port, _ := net.SplitHostPort(taken)
			stdout, stderr, code := runScript(t, tt.variable+"="+taken, tt.other+"=127.0.0.1:0")
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			for _, want := range []string{tt.says + port + " on 127.0.0.1 is already taken", tt.variable + "=127.0.0.1:0"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stdout, "Invitation code") {
				t.Errorf("printed the services as running:\n%s", stdout)
			}
		})
	}
}

// With free ports it prints where each service really listens (port 0
// means any free port) and an invitation code, and stops them when it
// ends.
func TestServicesStartAndStop(t *testing.T) {
	stdout, stderr, code := runScript(t, "INTAKE_ADDR=127.0.0.1:0", "SMTP_ADDR=127.0.0.1:0")
	if code != 0 {
		t.Fatalf("exit code %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	var addrs []string
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`Intake server: +http://(127\.0\.0\.1:[1-9][0-9]*) `),
		regexp.MustCompile(`Mail sink: +smtp://(127\.0\.0\.1:[1-9][0-9]*) `),
	} {
		m := re.FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("no %s in:\n%s", re, stdout)
		}
		addrs = append(addrs, m[1])
	}
	m := regexp.MustCompile(`Invitation code for the first-run screen: (\S+)`).FindStringSubmatch(stdout)
	if m == nil || validate.InvitationCode(m[1]) != nil {
		t.Errorf("no invitation code in:\n%s", stdout)
	}
	for _, addr := range addrs {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			t.Errorf("something still listens on %s after the script ended", addr)
		}
	}
}
