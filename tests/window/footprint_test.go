package window

import (
	"bufio"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"onramp/backend/intake/server"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// userHZ is the unit of utime and stime in /proc/<pid>/stat: USER_HZ, 100
// on every Linux architecture Go supports (sysconf would need cgo).
const userHZ = 100

// proc is one process as /proc/<pid>/stat describes it.
type proc struct {
	pid, ppid int
	name      string
	ticks     int64 // utime + stime
}

// readStat parses /proc/<pid>/stat (or a task's stat): the name sits in
// parentheses and may hold spaces and parentheses itself.
func readStat(path string) (proc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return proc{}, err
	}
	s := string(b)
	lp, rp := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if lp < 0 || rp < lp {
		return proc{}, fmt.Errorf("%s: no name in %q", path, s)
	}
	var p proc
	if p.pid, err = strconv.Atoi(strings.TrimSpace(s[:lp])); err != nil {
		return proc{}, fmt.Errorf("%s: %w", path, err)
	}
	p.name = s[lp+1 : rp]
	f := strings.Fields(s[rp+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return proc{}, fmt.Errorf("%s: %d fields", path, len(f))
	}
	p.ppid, _ = strconv.Atoi(f[1])
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return proc{}, fmt.Errorf("%s: utime %q stime %q", path, f[11], f[12])
	}
	p.ticks = utime + stime
	return p, nil
}

// tree is root and every process descended from it: the app and the
// WebKit processes it starts (WebKitWebProcess, WebKitNetworkProcess).
func tree(root int) map[int]proc {
	all := map[int]proc{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		if p, err := readStat(path); err == nil {
			all[p.pid] = p
		}
	}
	out := map[int]proc{}
	if p, ok := all[root]; ok {
		out[root] = p
	}
	for grew := true; grew; {
		grew = false
		for pid, p := range all {
			if _, in := out[p.ppid]; in {
				if _, seen := out[pid]; !seen {
					out[pid] = p
					grew = true
				}
			}
		}
	}
	return out
}

// pssKB is a process's proportional set size from smaps_rollup: shared
// pages count a share each, so the sum over processes is not inflated.
func pssKB(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Pss:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no Pss line for %d: %v", pid, sc.Err())
}

// threadTicks is each thread's CPU ticks in a process, keyed "name/tid".
func threadTicks(pid int) map[string]int64 {
	out := map[string]int64{}
	stats, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/[0-9]*/stat", pid))
	for _, path := range stats {
		if t, err := readStat(path); err == nil {
			out[fmt.Sprintf("%s/%d", t.name, t.pid)] = t.ticks
		}
	}
	return out
}

// softwareGLKB is the PSS of Mesa's software renderer in a process
// (llvmpipe: the swrast DRI driver and the LLVM it links), which WebKit
// loads because Xvfb has no GPU; a desktop with a GPU driver that does not
// use LLVM has none of it.
func softwareGLKB(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var kb int64
	soft := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "Pss:"); ok {
			if soft {
				n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				kb += n
			}
			continue
		}
		// A mapping's header: "start-end perms offset dev inode [path]".
		if f := strings.Fields(line); len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			path := ""
			if len(f) >= 6 {
				path = f[5]
			}
			soft = strings.Contains(path, "/libLLVM") || strings.Contains(path, "/dri/") || strings.Contains(path, "/libgallium")
		}
	}
	return kb, sc.Err()
}

// syncingIntake starts an intake server that knows the account's
// invitation code and points the app at it, so the idle app syncs as a
// provider's would (every 30 s). Its CPU is the network's, not counted.
func syncingIntake(b *testing.B, dir string) *server.DB {
	b.Helper()
	var code, email string
	seed.With(b, dir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		a, err := svc.Progress.Account(ctx)
		if err != nil {
			b.Fatal(err)
		}
		code, email = a.InvitationCode, a.Email
	})
	ctx := context.Background()
	db, err := server.Open(ctx, filepath.Join(b.TempDir(), "intake.db"), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.AddInvitation(ctx, code, email); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	b.Cleanup(srv.Close)
	b.Setenv("ONRAMP_INTAKE_URL", srv.URL)
	return db
}

// BenchmarkIdleFootprint opens the built app on the dashboard of a set-up
// account that syncs with a local intake server, waits until 20 s after
// launch, then reports the memory of the app and its WebKit processes (PSS,
// summed; and the part of it that is Mesa's software GL) and the CPU they
// use over the next 30 s of doing nothing, as a share of one core. The
// processes and their busiest threads are logged, to tell what burns the
// CPU. Run it once (-benchtime 1x): each run takes about a minute.
func BenchmarkIdleFootprint(b *testing.B) {
	bin := binary(b)
	dir := b.TempDir()
	seedAccount(b, dir)
	intake := syncingIntake(b, dir)
	shot := filepath.Join(b.TempDir(), "footprint.png")
	const settle, idle = 20 * time.Second, 30 * time.Second
	var pssMB, softMB, cpuPct float64
	for i := 0; i < b.N; i++ {
		a, _ := launchWindow(b, bin, dir, 20*time.Second)
		waitForText(b, shot, settle, "items done") // the dashboard is up ("Your progress", small and grey, is misread by OCR in some states)
		time.Sleep(time.Until(a.started.Add(settle)))

		procs := tree(a.cmd.Process.Pid)
		var kb, softKB int64
		for pid, p := range procs {
			n, err := pssKB(pid)
			if err != nil {
				b.Fatal(err)
			}
			gl, err := softwareGLKB(pid)
			if err != nil {
				b.Fatal(err)
			}
			kb, softKB = kb+n, softKB+gl
			b.Logf("%-22s pid %-7d PSS %6.1f MB (software GL %4.1f MB)", p.name, pid, float64(n)/1024, float64(gl)/1024)
		}
		threads := map[int]map[string]int64{}
		for pid := range procs {
			threads[pid] = threadTicks(pid)
		}
		start := time.Now()
		time.Sleep(idle)
		after := tree(a.cmd.Process.Pid)
		took := time.Since(start)
		var used int64
		for pid, p := range after {
			used += p.ticks - procs[pid].ticks // a process that is new started at 0
			logBusyThreads(b, p, threads[pid], threadTicks(pid))
		}
		a.stop()
		pssMB, softMB = float64(kb)/1024, float64(softKB)/1024
		cpuPct = float64(used) / userHZ / took.Seconds() * 100
		b.Logf("%d processes, PSS %.1f MB (%.1f MB software GL); idle CPU %.2f %% of one core (%d ticks in %s)",
			len(procs), pssMB, softMB, cpuPct, used, took.Round(time.Millisecond))
	}
	if ps, err := intake.Providers(context.Background()); err != nil || len(ps) != 1 {
		b.Fatalf("the app never enrolled with the intake server (%v): it did not sync while idle", err)
	}
	b.ReportMetric(pssMB, "PSS-MB")
	b.ReportMetric(softMB, "softGL-MB")
	b.ReportMetric(cpuPct, "idle-CPU-%")
}

// logBusyThreads logs the threads of one process that used CPU between two
// readings, busiest first.
func logBusyThreads(b *testing.B, p proc, before, after map[string]int64) {
	type busy struct {
		name  string
		ticks int64
	}
	var list []busy
	for name, t := range after {
		if d := t - before[name]; d > 0 {
			list = append(list, busy{name, d})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ticks > list[j].ticks })
	for _, t := range list[:min(len(list), 6)] {
		b.Logf("  %s (pid %d) thread %-28s %4d ticks", p.name, p.pid, t.name, t.ticks)
	}
}

// The /proc readers work on this very process: it has CPU time, a PSS and
// a name; a name with spaces and parentheses parses.
func TestProcReaders(t *testing.T) {
	self := os.Getpid()
	procs := tree(self)
	p, ok := procs[self]
	if !ok || p.name == "" || p.ppid != os.Getppid() {
		t.Fatalf("tree(self) = %+v", procs)
	}
	if kb, err := pssKB(self); err != nil || kb <= 0 {
		t.Errorf("pssKB(self) = %d, %v", kb, err)
	}
	if len(threadTicks(self)) == 0 {
		t.Error("no threads")
	}
	if kb, err := softwareGLKB(self); err != nil || kb != 0 {
		t.Errorf("softwareGLKB(self) = %d, %v: a Go test loads no GL", kb, err)
	}
	path := filepath.Join(t.TempDir(), "stat")
	for _, tt := range []struct {
		stat  string
		want  proc
		fails bool
	}{
		{"42 (WebKitWebProcess) S 7 42 42 0 -1 4194560 9 0 0 0 150 25 0 0 20 0 20 0", proc{42, 7, "WebKitWebProcess", 175}, false},
		{"43 (odd (name) x) R 1 43 43 0 -1 0 0 0 0 0 3 4 0 0", proc{43, 1, "odd (name) x", 7}, false},
		{"44 no-name S 1", proc{}, true},
		{"45 (short) S 1 2", proc{}, true},
	} {
		if err := os.WriteFile(path, []byte(tt.stat), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := readStat(path)
		if (err != nil) != tt.fails || got != tt.want {
			t.Errorf("readStat(%q) = %+v, %v", tt.stat, got, err)
		}
	}
}
