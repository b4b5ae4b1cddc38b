#!/usr/bin/env bash
# Fuzzes each target (package:Function under backend/) for a while, one after
# the other, the time as timeout(1) reads it (5s, 10m, 1h):
#   tools/fuzz.sh 5s validate:FuzzEmail packet:FuzzOpen
# A failing input is saved under the package's testdata/fuzz and fails the
# run. So does a fuzzer that stops in any other way (a worker killed, out of
# memory, a hang): the run fails and prints the fuzzer's output. Nothing is
# retried. docs/fuzzing.md says what was found and how to fuzz longer.
#
# How each target is run, and why:
# - The fuzzing test binary is built first, then run and stopped with SIGINT
#   when the time is up, rather than with `go test -fuzztime`. Go 1.26's
#   coordinator races its own -fuzztime deadline (golang/go#75804, fixed in
#   Go 1.27): now and then it ends a clean run with "context deadline
#   exceeded" and FAIL, with no failing input. Interrupted, it stops its
#   workers and exits 0. Timing only the fuzzing also keeps the build out of
#   the budget.
# - -fuzzminimizetime 0: nothing is minimized. Minimizing one new input of a
#   couple of KB (FuzzOpen's) runs the full 60 s default, since the minimizer
#   tries cutting out every run of bytes; the run shows 0 execs/s meanwhile,
#   and at the limit the coordinator kills and restarts the worker. That was
#   FuzzOpen's stall. In a run of seconds it is all cost; a failing input is
#   saved as found, which reproduces just as well.
# - -parallel 2: a fixed number, so a run does the same on every machine (by
#   default there is one worker, of 100-250 MB, per core). Two because on
#   the 2-core machines this runs on a second worker still pays: FuzzOpen
#   went from 650-2,650 to 4,100-4,400 execs/s, busy as the machine was;
#   more would only queue for the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."
time="$1"
shift
cache="$(go env GOCACHE)/fuzz"
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
mkdir -p tmp/fuzz

for t in "$@"; do
  pkg="${t%%:*}" fn="${t#*:}"
  log="tmp/fuzz/$pkg-$fn.log" # the fuzzer's progress, every 3 s: tail -f it on a long run
  if ! go test -c -o "$bin/$pkg.test" -fuzz "^$fn\$" "./backend/$pkg" >"$log" 2>&1; then
    cat "$log"
    echo "    $fn FAILED: its fuzzing test binary did not build" >&2
    exit 1
  fi
  # timeout sends SIGINT to the test binary alone (--foreground), passes on
  # its exit status (--preserve-status), and kills it if it is still there a
  # minute later.
  status=0
  (cd "backend/$pkg" && timeout --foreground --preserve-status -s INT -k 60s "$time" \
    "$bin/$pkg.test" -test.run '^$' -test.fuzz "^$fn\$" -test.fuzzcachedir "$cache/$(go list "./")" \
    -test.fuzzminimizetime 0s -test.parallel 2) >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ] || ! grep -q '^PASS$' "$log"; then
    tail -40 "$log"
    echo "    $fn FAILED (exit status $status; log in $log). A failing input, if one was found, is in backend/$pkg/testdata/fuzz/$fn" >&2
    exit 1
  fi
  # The last line's rate is always 0/sec: it is written once the workers stop.
  echo "    $fn ok: $(grep '^fuzz: elapsed' "$log" | tail -1 | sed 's/^fuzz: //; s/ ([0-9]*\/sec)//')"
done
