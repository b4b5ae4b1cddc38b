// Package notifytest runs what a desktop notification needs, for tests: a
// private session bus (Debian's dbus-daemon) and a notification service on
// it that keeps every notification it is sent, as a desktop's notification
// daemon would show them.
package notifytest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"onramp/backend/testenv"
)

// Bus starts a private session bus for the test, stopped at its end, and
// returns its address (for DBUS_SESSION_BUS_ADDRESS).
func Bus(t testing.TB) string {
	t.Helper()
	daemon := testenv.Path(t, "dbus-daemon")
	dir := t.TempDir()
	// The session bus's rules, but no service folders: nothing is started
	// on demand (a notification daemon installed on this machine stays out
	// of the test).
	conf := filepath.Join(dir, "session.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr testenv.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatalf("dbus-daemon printed no address: %s", stderr.String())
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatalf("dbus-daemon did not start: %s", stderr.String())
	}
	return ""
}

// Notification is one notification as the service received it.
type Notification struct {
	App, Icon, Title, Body string
	Hints                  map[string]dbus.Variant
	At                     time.Time
}

// Service is a notification service (org.freedesktop.Notifications) on a
// bus, keeping what it receives.
type Service struct {
	mu   sync.Mutex
	got  []Notification
	conn *dbus.Conn
}

// Serve takes the notification service's name on the bus at addr.
func Serve(t testing.TB, addr string) *Service {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the test bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	s := &Service{conn: conn}
	if err := conn.Export(server{s}, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("take the notification service's name: %v (reply %d)", err, reply)
	}
	return s
}

// Received is every notification so far, oldest first.
func (s *Service) Received() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notification(nil), s.got...)
}

// server is the exported object: the methods of the freedesktop
// Desktop Notifications Specification that a client calls.
type server struct{ s *Service }

func (v server) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	v.s.got = append(v.s.got, Notification{App: app, Icon: icon, Title: summary, Body: body, Hints: hints, At: time.Now()})
	return uint32(len(v.s.got)), nil
}

func (server) GetCapabilities() ([]string, *dbus.Error) { return []string{"body"}, nil }

func (server) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "notifytest", "onramp", "1", "1.2", nil
}

func (server) CloseNotification(id uint32) *dbus.Error { return nil }
