// Package instance keeps one Onramp running per data folder: the first
// process holds a lock file and listens on a socket beside it; a second one
// asks the first to bring its window forward, then exits.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrRunning means another Onramp holds the data folder; it was asked to
// show its window.
var ErrRunning = errors.New("Onramp is already open")

const (
	lockName   = "onramp.lock"
	socketName = "onramp.sock"
	focusMsg   = "focus"
)

// Lock is held by the running instance until Release.
type Lock struct {
	file *os.File
	ln   net.Listener
	sock string

	mu      sync.Mutex
	onFocus func()
	pending bool // a focus request came before OnFocus was set
}

// Acquire takes the data folder's lock. If another process holds it, that
// process is asked to focus its window and ErrRunning is returned.
func Acquire(dir string) (*Lock, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	sock := filepath.Join(dir, socketName)
	if !held {
		f.Close()
		if err := askFocus(sock); err != nil {
			return nil, fmt.Errorf("%w (and it did not answer: %v)", ErrRunning, err)
		}
		return nil, ErrRunning
	}
	l := &Lock{file: f, sock: sock}
	f.Truncate(0)
	fmt.Fprintf(f, "%d\n", os.Getpid())
	// We hold the lock, so a socket file left here is a dead instance's.
	os.Remove(sock)
	if ln, err := net.Listen("unix", sock); err == nil {
		os.Chmod(sock, 0o600)
		l.ln = ln
		go l.serve()
	}
	return l, nil
}

func askFocus(sock string) error {
	conn, err := net.DialTimeout("unix", sock, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := fmt.Fprintln(conn, focusMsg); err != nil {
		return err
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(reply) != "ok" {
		return fmt.Errorf("unexpected reply %q", reply)
	}
	return nil
}

func (l *Lock) serve() {
	for {
		conn, err := l.ln.Accept()
		if err != nil {
			return
		}
		go l.handle(conn)
	}
}

func (l *Lock) handle(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(3 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != focusMsg {
		return
	}
	l.mu.Lock()
	fn := l.onFocus
	if fn == nil {
		l.pending = true
	}
	l.mu.Unlock()
	if fn != nil {
		fn()
	}
	fmt.Fprintln(conn, "ok")
}

// OnFocus sets what to do when another launch asks for the window; a request
// that arrived before is delivered now.
func (l *Lock) OnFocus(fn func()) {
	l.mu.Lock()
	l.onFocus = fn
	pending := l.pending
	l.pending = false
	l.mu.Unlock()
	if pending && fn != nil {
		fn()
	}
}

// Release gives the folder up for the next launch.
func (l *Lock) Release() {
	if l.ln != nil {
		l.ln.Close()
		os.Remove(l.sock)
	}
	unlock(l.file)
	l.file.Close()
}
