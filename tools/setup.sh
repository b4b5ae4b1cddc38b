#!/usr/bin/env bash
# Installs what Onramp needs to build, run and test, skipping whatever is
# already there: Debian packages, the Wails CLI (built from tools/wails), and
# the frontend's npm packages from the lock file. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev   # build the app
  xvfb xauth x11-utils xdotool imagemagick                         # a window without a screen
  chromium                                                         # browser end-to-end tests
  tesseract-ocr tesseract-ocr-eng                                  # read the window screenshot
  qpdf poppler-utils fonts-dejavu-core                             # PDFs and fonts
  curl                                                             # health checks in make run
  python3-aiosmtpd                                                 # an independent SMTP server for the mail test
  gstreamer1.0-plugins-good                                        # video in the WebKitGTK window
  libwebkit2gtk-4.1-dev                                            # make dist: the build for WebKitGTK 4.1 systems
  dpkg-dev rpm lintian desktop-file-utils appstream                # make dist and its checks
  gcc-mingw-w64-x86-64 nsis                                        # cross-build onramp.exe and its installer
  postgresql sqlite3                                               # the intake server on PostgreSQL (throwaway servers in tests); backups
  dbus-daemon                                                     # a session bus for the desktop-notification tests
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"install ok installed"* ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=900 --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Wails CLI: `go install` of it fails under Go 1.26, so it is built from a
# tools module that pins a golang.org/x/tools that compiles.
WAILS=.bin/wails
stamp=.bin/wails.stamp
want="$(sha256sum tools/wails/go.mod tools/wails/go.sum | sha256sum | cut -c1-16)"
if [ ! -x "$WAILS" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> building the Wails CLI (v2.9.2)"
  mkdir -p .bin
  (cd tools/wails && go build -o ../../.bin/wails github.com/wailsapp/wails/v2/cmd/wails)
  echo "$want" >"$stamp"
fi

# nfpm packs the .deb and .rpm (make dist), built from its own tools module
# like the Wails CLI.
NFPM=.bin/nfpm
nfpm_stamp=.bin/nfpm.stamp
want_nfpm="$(sha256sum tools/nfpm/go.mod tools/nfpm/go.sum | sha256sum | cut -c1-16)"
if [ ! -x "$NFPM" ] || [ "$(cat "$nfpm_stamp" 2>/dev/null)" != "$want_nfpm" ]; then
  echo "==> building nfpm (v2.45.2)"
  mkdir -p .bin
  (cd tools/nfpm && go build -o ../../.bin/nfpm github.com/goreleaser/nfpm/v2/cmd/nfpm)
  echo "$want_nfpm" >"$nfpm_stamp"
fi

# npm packages, exactly as locked; reinstalled only when the lock changes.
npm_stamp=frontend/node_modules/.onramp-lock-hash
want_npm="$(sha256sum frontend/package-lock.json | cut -c1-16)"
if [ "$(cat "$npm_stamp" 2>/dev/null)" != "$want_npm" ]; then
  echo "==> installing frontend packages (npm ci)"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want_npm" >"$npm_stamp"
fi
