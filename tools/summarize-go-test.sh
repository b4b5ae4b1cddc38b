#!/usr/bin/env bash
# Passes `go test -v` output through, and fails if a test failed or if no test
# passed at all (a browser test that skipped has not tested anything).
set -uo pipefail
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
tee "$out"
if grep -qE '^(--- FAIL|FAIL)' "$out"; then exit 1; fi
if ! grep -qE '^ *--- PASS' "$out"; then
  echo "no test passed (all skipped?)" >&2
  exit 1
fi
