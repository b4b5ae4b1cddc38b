package instance

import (
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestSecondLaunchFocusesTheFirst(t *testing.T) {
	dir := t.TempDir()
	first, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	focused := make(chan struct{}, 1)
	first.OnFocus(func() { focused <- struct{}{} })

	if _, err := Acquire(dir); !errors.Is(err, ErrRunning) {
		t.Fatalf("second acquire: %v, want ErrRunning", err)
	}
	select {
	case <-focused:
	case <-time.After(3 * time.Second):
		t.Fatal("first instance was not asked to focus")
	}

	first.Release()
	again, err := Acquire(dir)
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	again.Release()
}

func TestFocusBeforeHandlerIsDelivered(t *testing.T) {
	dir := t.TempDir()
	first, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	if _, err := Acquire(dir); !errors.Is(err, ErrRunning) {
		t.Fatal(err)
	}
	got := false
	first.OnFocus(func() { got = true })
	if !got {
		t.Error("early focus request lost")
	}
}

// A process that dies holding the lock leaves the folder usable.
func TestLockFreedWhenHolderDies(t *testing.T) {
	if os.Getenv("INSTANCE_HOLD") != "" {
		if _, err := Acquire(os.Getenv("INSTANCE_HOLD")); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("held\n")
		time.Sleep(time.Minute)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=TestLockFreedWhenHolderDies")
	cmd.Env = append(os.Environ(), "INSTANCE_HOLD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("child did not take the lock: %q %v", buf, err)
	}
	cmd.Process.Kill() // SIGKILL: no cleanup runs
	cmd.Wait()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("acquire after holder was killed: %v", err)
	}
	l.Release()
}
