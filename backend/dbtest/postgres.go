// Package dbtest gives the intake server's tests their databases: a SQLite
// file, or a fresh database on a throwaway PostgreSQL server that the tests
// start themselves (initdb into a temporary folder, listening only on a
// Unix socket there, stopped at the end). It never touches a system
// PostgreSQL service. RunEngines runs a package's tests once per engine.
package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// ErrNoPostgres means PostgreSQL's server programs are not installed.
var ErrNoPostgres = errors.New("PostgreSQL's server programs (initdb, pg_ctl) are not installed: apt-get install postgresql (tools/setup.sh does)")

// superuser is the role initdb makes; every test connects as it.
const superuser = "onramp"

// Postgres is a throwaway PostgreSQL server.
type Postgres struct {
	dir  string // holds data/, the socket and the log
	bin  string // the folder of initdb, pg_ctl, postgres
	port int    // names the socket: .s.PGSQL.<port>
	cred *syscall.Credential
	made atomic.Int64 // databases made so far, to name the next
}

// Options tune a server.
type Options struct {
	// Durable keeps PostgreSQL's safety against the computer crashing
	// (fsync, full-page writes): for benchmarks, whose figures should be a
	// real server's. Tests leave it off: a restart of the server, even an
	// immediate one, loses nothing without them as long as the computer
	// itself does not crash. Commits are synchronous either way (the
	// server answers only once its commit is in the log), or an immediate
	// stop would lose commits already acknowledged.
	Durable bool
}

// StartPostgres makes a new cluster in a temporary folder and starts it.
// When the tests run as root (PostgreSQL refuses to), the server runs as
// the postgres user that Debian's package makes.
func StartPostgres(opts Options) (*Postgres, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	p := &Postgres{bin: bin, port: 5432}
	if os.Geteuid() == 0 {
		if p.cred, err = unprivileged(); err != nil {
			return nil, err
		}
	}
	if p.dir, err = os.MkdirTemp("", "onramp-pg-"); err != nil {
		return nil, err
	}
	if err := os.Chmod(p.dir, 0o755); err != nil {
		return nil, err
	}
	if p.cred != nil {
		if err := os.Chown(p.dir, int(p.cred.Uid), int(p.cred.Gid)); err != nil {
			return nil, err
		}
	}
	if err := p.run("initdb", "-D", p.data(), "-U", superuser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		p.remove()
		return nil, err
	}
	settings := []string{
		"listen_addresses = ''",
		"unix_socket_directories = '" + p.dir + "'",
		"port = " + strconv.Itoa(p.port),
		"max_connections = 300",
		"shared_buffers = 128MB",
	}
	if !opts.Durable {
		settings = append(settings, "fsync = off", "full_page_writes = off")
	}
	conf := filepath.Join(p.data(), "postgresql.conf")
	f, err := os.OpenFile(conf, os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("\n# onramp tests\n" + strings.Join(settings, "\n") + "\n")
		f.Close()
	}
	if err != nil {
		p.remove()
		return nil, fmt.Errorf("configure the test server: %w", err)
	}
	if err := p.Start(); err != nil {
		p.remove()
		return nil, err
	}
	return p, nil
}

// postgresBin is the newest installed PostgreSQL's program folder.
func postgresBin() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		if path, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(path), nil
		}
		return "", ErrNoPostgres
	}
	sort.Slice(found, func(i, j int) bool { return version(found[i]) < version(found[j]) })
	return filepath.Dir(found[len(found)-1]), nil
}

func version(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

func unprivileged() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("the tests run as root, which PostgreSQL refuses, and there is no postgres user to run it as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (p *Postgres) data() string { return filepath.Join(p.dir, "data") }

// run runs one of PostgreSQL's programs as the server's user.
func (p *Postgres) run(program string, args ...string) error {
	cmd := exec.Command(filepath.Join(p.bin, program), args...)
	cmd.Dir = p.dir
	if p.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", program, err, out)
	}
	return nil
}

// Start starts the server (again) and waits until it accepts connections.
func (p *Postgres) Start() error {
	return p.run("pg_ctl", "-D", p.data(), "-l", filepath.Join(p.dir, "server.log"), "-w", "-t", "60", "start")
}

// Stop shuts the server down: "fast" ends every session at once and
// shuts down cleanly; "immediate" is a crash (recovery at the next start).
func (p *Postgres) Stop(mode string) error {
	return p.run("pg_ctl", "-D", p.data(), "-m", mode, "-w", "-t", "60", "stop")
}

// Close stops the server and removes its folder.
func (p *Postgres) Close() {
	p.Stop("immediate")
	p.remove()
}

func (p *Postgres) remove() { os.RemoveAll(p.dir) }

// URL is a connection URL for one database on this server.
func (p *Postgres) URL(database string) string {
	q := url.Values{}
	q.Set("host", p.dir)
	q.Set("port", strconv.Itoa(p.port))
	q.Set("sslmode", "disable")
	return "postgres://" + superuser + "@/" + url.PathEscape(database) + "?" + q.Encode()
}

// Log is the server's log so far, for a failing test to show.
func (p *Postgres) Log() string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "server.log"))
	return string(b)
}

// NewDatabase makes an empty database and returns its URL.
func (p *Postgres) NewDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("t%d_%d", os.Getpid(), p.made.Add(1))
	admin, err := sql.Open("pgx", p.URL("postgres"))
	if err != nil {
		return "", err
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return p.URL(name), nil
}

// Program is the path of one of PostgreSQL's programs (pg_dump,
// pg_restore) of the version this server runs.
func (p *Postgres) Program(name string) string { return filepath.Join(p.bin, name) }
