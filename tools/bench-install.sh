#!/usr/bin/env bash
# For make bench (tools/bench.sh), inside a display: installs each .deb make
# dist wrote with apt-get, times the installed app's first window from the
# moment apt-get install returned (tests/window BenchmarkInstalledFirstWindow,
# compiled beforehand so that nothing is built in between), and purges it.
# Needs root (or sudo) and no onramp package installed.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?VERSION must be the productVersion in wails.json}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
if [[ "$(dpkg-query -W -f='${Status}' onramp 2>/dev/null)" == *"install ok installed"* ]]; then
  echo "an onramp package is already installed here: remove it first (apt-get purge onramp)" >&2
  exit 1
fi
apt_get() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get -y -qq -o DPkg::Lock::Timeout=900 "$@" >/dev/null; }
trap 'dpkg-query -W onramp >/dev/null 2>&1 && apt_get purge onramp' EXIT

mkdir -p tmp
go test -c -o tmp/window-bench.test ./tests/window/
for deb in "dist/onramp_${VERSION}_amd64.deb" "dist/onramp_${VERSION}_amd64_webkit41.deb"; do
  apt_get install "./$deb"
  out="$(ONRAMP_INSTALLED_AT=$(date +%s%N) ONRAMP_WINDOW_BINARY=/usr/bin/onramp ONRAMP_REQUIRE_ALL=1 \
    tmp/window-bench.test -test.run '^$' -test.bench InstalledFirstWindow -test.benchtime 1x 2>&1)" || { echo "$out" >&2; exit 1; }
  sed -n "s|^BenchmarkInstalledFirstWindow[^[:space:]]*|BenchmarkInstalledFirstWindow $(basename "$deb")|p" <<<"$out"
  apt_get purge onramp
done
