#!/usr/bin/env bash
# Runs a command with a display: the caller's own if it has one (and
# ONRAMP_XVFB is not 1), else a private Xvfb on a free display number that is
# stopped afterwards.
set -euo pipefail
if [ -n "${DISPLAY:-}" ] && [ "${ONRAMP_XVFB:-}" != 1 ]; then
  exec "$@"
fi
# Start from a display number of our own, so a server that another run is
# still shutting down is never mistaken for ours.
n=$((100 + $$ % 400))
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null || true' EXIT
# Ready when it answers a client, not merely when its socket appears.
export DISPLAY=":$n"
for _ in $(seq 1 100); do
  xdpyinfo >/dev/null 2>&1 && break
  sleep 0.1
done
if ! xdpyinfo >/dev/null 2>&1 || ! kill -0 "$xvfb" 2>/dev/null; then
  echo "Xvfb on :$n did not start" >&2
  exit 1
fi
"$@"
