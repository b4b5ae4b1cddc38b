#!/usr/bin/env bash
# make check-dist: checks the packages make dist wrote. Each .deb: lintian
# with no errors, its desktop entry clean for desktop-file-validate, its
# AppStream metainfo valid, Depends computed for the right WebKitGTK, the
# packed binary saying the version. Each .rpm: rpm -qpl lists exactly the
# expected files, and it requires the right WebKitGTK.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?VERSION must be the productVersion in wails.json (make check-dist sets it)}"

ID=invalid.onramp.Onramp
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

expected_files() {
  {
    echo /usr/bin/onramp
    echo "/usr/share/applications/$ID.desktop"
    echo "/usr/share/metainfo/$ID.metainfo.xml"
    echo /usr/share/doc/onramp/copyright
    echo /usr/share/doc/onramp/changelog.gz
    echo /usr/share/man/man1/onramp.1.gz
    for f in backend/packet/fonts/LICENSE-*.txt; do echo "/usr/share/doc/onramp/$(basename "$f")"; done
    for size in 16 24 32 48 64 128 256 512; do echo "/usr/share/icons/hicolor/${size}x${size}/apps/$ID.png"; done
  } | sort
}

# checkDeb DEB WEBKIT OTHER: WEBKIT is the libwebkit2gtk package it must
# depend on, OTHER the one it must not.
checkDeb() {
  local deb=$1 want=$2 other=$3 root="$work/$(basename "$1")"
  echo "==> $deb"
  [ -f "$deb" ] || { fail "$deb is missing (make dist)"; return; }
  if ! lintian --fail-on error --tag-display-limit 0 "$deb"; then
    fail "lintian reports errors in $deb"
  fi
  local depends version
  depends="$(dpkg-deb -f "$deb" Depends)"
  version="$(dpkg-deb -f "$deb" Version)"
  [ "$version" = "$VERSION" ] || fail "$deb is version $version, not $VERSION"
  grep -q "$want" <<<"$depends" || fail "$deb does not depend on $want: $depends"
  ! grep -q "$other" <<<"$depends" || fail "$deb depends on $other: $depends"
  mkdir -p "$root"
  dpkg-deb -x "$deb" "$root"
  diff <(expected_files) <(cd "$root" && find . -type f | sed 's/^\.//' | sort) || fail "$deb holds other files than expected"
  desktop-file-validate "$root/usr/share/applications/$ID.desktop" || fail "desktop-file-validate: $deb"
  appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/$ID.metainfo.xml" || fail "appstreamcli validate: $deb"
  local says
  says="$("$root/usr/bin/onramp" --version 2>/dev/null || true)"
  [ "$says" = "Onramp $VERSION" ] || fail "the packed binary of $deb says \"$says\", not \"Onramp $VERSION\""
}

# checkRpm RPM WEBKIT OTHER: WEBKIT is the library soname it must require.
checkRpm() {
  local rpm=$1 want=$2 other=$3
  echo "==> $rpm"
  [ -f "$rpm" ] || { fail "$rpm is missing (make dist)"; return; }
  diff <(expected_files) <(rpm -qpl "$rpm" | sort) || fail "rpm -qpl $rpm lists other files than expected"
  local requires
  requires="$(rpm -qpR "$rpm")"
  grep -q "$want" <<<"$requires" || fail "$rpm does not require $want"
  ! grep -q "$other" <<<"$requires" || fail "$rpm requires $other"
  [ "$(rpm -qp --qf '%{VERSION}' "$rpm")" = "$VERSION" ] || fail "$rpm is not version $VERSION"
}

checkDeb "dist/onramp_${VERSION}_amd64.deb" libwebkit2gtk-4.0 libwebkit2gtk-4.1
checkDeb "dist/onramp_${VERSION}_amd64_webkit41.deb" libwebkit2gtk-4.1 libwebkit2gtk-4.0
checkRpm "dist/onramp-${VERSION}-1.x86_64.rpm" libwebkit2gtk-4.0.so libwebkit2gtk-4.1.so
checkRpm "dist/onramp-${VERSION}-1.webkit41.x86_64.rpm" libwebkit2gtk-4.1.so libwebkit2gtk-4.0.so

if ((failed)); then
  echo "==> make check-dist: FAILED" >&2
  exit 1
fi
echo "==> make check-dist: all packages pass"
