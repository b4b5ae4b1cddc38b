#!/usr/bin/env bash
# make check-installed: installs each .deb make dist wrote on this computer
# (apt-get install ./dist/…), checks the installed /usr/bin/onramp (its
# version, and its first-run screen under Xvfb read back with Tesseract, by
# tests/window), that the app's data folder outlives apt-get purge, and
# that purge removes every file the package installed. Needs root (or sudo):
# it installs and purges the package onramp.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?VERSION must be the productVersion in wails.json (make check-installed sets it)}"

if [[ "$(dpkg-query -W -f='${Status}' onramp 2>/dev/null)" == *"install ok installed"* ]]; then
  echo "an onramp package is already installed here: remove it first (apt-get purge onramp)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
apt_get() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get -y -qq -o DPkg::Lock::Timeout=900 "$@" >/dev/null; }

work="$(mktemp -d)"
trap 'dpkg-query -W onramp >/dev/null 2>&1 && apt_get purge onramp; rm -rf "$work"' EXIT

# checkInstalled DEB WEBKIT: WEBKIT is the library the installed binary must
# load.
checkInstalled() {
  local deb=$1 webkit=$2 home="$work/home-$(basename "$1")"
  echo "==> $deb"
  local started
  started=$(date +%s%N)
  apt_get install "./$deb"
  echo "    installed in $(( ($(date +%s%N) - started) / 1000000 )) ms"
  # ldd's whole output first: "ldd | grep -q" fails under pipefail whenever
  # grep stops reading before ldd has finished writing (SIGPIPE).
  local libs
  libs="$(ldd /usr/bin/onramp)"
  [[ "$libs" == *"$webkit"* ]] || { echo "FAIL: /usr/bin/onramp does not load $webkit; it loads:" >&2; echo "$libs" >&2; return 1; }
  ONRAMP_REQUIRE_ALL=1 ONRAMP_XVFB=1 ONRAMP_WINDOW_BINARY=/usr/bin/onramp ONRAMP_SCREENSHOTS="$work/shots" \
    tools/with-display.sh go test -count=1 -run '^(TestWindowFirstRun|TestBuiltAppSaysItsVersion)$' ./tests/window/

  # The app's own data folder (in a scratch home): made by the installed
  # app, still there after purge.
  mkdir -p "$home"
  (
    export HOME="$home" XDG_CONFIG_HOME= ONRAMP_DATA_DIR= APP_LOG="$work/app.log"
    # Until the database is there (30 s at most), then closed.
    ONRAMP_XVFB=1 tools/with-display.sh bash -c '
      setsid /usr/bin/onramp >"$APP_LOG" 2>&1 & pid=$!
      for _ in $(seq 1 300); do [ -f "$HOME/.config/Onramp/onramp.db" ] && break; sleep 0.1; done
      sleep 1 # let the first start finish its writes before the signal
      kill -TERM -- -"$pid"; wait "$pid" || true'
  )
  [ -f "$home/.config/Onramp/onramp.db" ] || { cat "$work/app.log" >&2; echo "FAIL: the installed app made no data folder in $home/.config/Onramp" >&2; return 1; }

  local files
  files="$(dpkg -L onramp | while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done)"
  apt_get purge onramp
  local left=0
  while read -r f; do
    if [ -e "$f" ]; then echo "FAIL: $f is left after apt-get purge" >&2; left=1; fi
  done <<<"$files"
  ((left == 0)) || return 1
  [ -f "$home/.config/Onramp/onramp.db" ] || { echo "FAIL: apt-get purge removed the user's data folder" >&2; return 1; }
  echo "    purge removed all $(wc -l <<<"$files") installed files and left the data folder"
}

checkInstalled "dist/onramp_${VERSION}_amd64.deb" libwebkit2gtk-4.0.so
checkInstalled "dist/onramp_${VERSION}_amd64_webkit41.deb" libwebkit2gtk-4.1.so
echo "==> make check-installed: both packages install, start and purge cleanly"
