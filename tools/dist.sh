#!/usr/bin/env bash
# make dist: packs the two Linux builds (WebKitGTK 4.0 and 4.1) into a .deb
# and an .rpm each, in dist/. The dependencies are read from the binary
# (dpkg-shlibdeps for the .deb, rpmdeps for the .rpm), never typed here.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?VERSION must be the productVersion in wails.json (make dist sets it)}"

NFPM=.bin/nfpm
ID=invalid.onramp.Onramp # the desktop entry's and AppStream's ID: reverse DNS of onramp.invalid
STAGE=tmp/dist-stage
CHANGELOG=build/linux/changelog

# The changelog's newest entry names the version being packed, so the
# package never ships a changelog that stops at the previous release.
logged="$(dpkg-parsechangelog -l "$CHANGELOG" -S Version)"
if [ "$logged" != "$VERSION" ]; then
  echo "build/linux/changelog's newest entry is $logged but wails.json says $VERSION: add an entry for $VERSION" >&2
  exit 1
fi
released="$(date -u -d "@$(dpkg-parsechangelog -l "$CHANGELOG" -S Timestamp)" +%F)"

rm -rf "$STAGE"
mkdir -p "$STAGE/icons" dist
for size in 16 24 32 48 64 128 256 512; do
  convert build/appicon.png -resize "${size}x${size}" -depth 8 -strip "$STAGE/icons/$size.png"
done
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$released/" "build/linux/$ID.metainfo.xml" >"$STAGE/$ID.metainfo.xml"
gzip -9nc "$CHANGELOG" >"$STAGE/changelog.gz"
gzip -9nc build/linux/onramp.1 >"$STAGE/onramp.1.gz"

# debDepends prints the binary's Debian dependencies, one a line.
debDepends() {
  local dir="$STAGE/shlibdeps"
  rm -rf "$dir"
  # DEBIAN marks the package's root, where dpkg-shlibdeps expects the binary.
  mkdir -p "$dir/debian/onramp/DEBIAN" "$dir/debian/onramp/usr/bin"
  printf 'Source: onramp\n\nPackage: onramp\nArchitecture: amd64\n' >"$dir/debian/control"
  cp "$1" "$dir/debian/onramp/usr/bin/onramp"
  local deps
  deps="$(cd "$dir" && dpkg-shlibdeps -O -edebian/onramp/usr/bin/onramp)"
  deps="${deps#shlibs:Depends=}"
  [ -n "$deps" ] || { echo "dpkg-shlibdeps found no dependencies of $1" >&2; return 1; }
  sed 's/, /\n/g' <<<"$deps"
}

# rpmRequires prints the binary's RPM requirements (library sonames and
# symbol versions, which every RPM distribution resolves), one a line.
rpmRequires() {
  local reqs
  reqs="$(/usr/lib/rpm/rpmdeps --requires "$1")"
  [ -n "$reqs" ] || { echo "rpmdeps found no requirements of $1" >&2; return 1; }
  echo "$reqs"
}

# pack VARIANT BINARY DEB RPM writes the variant's nfpm configuration and
# both packages.
pack() {
  local variant=$1 binary=$2 deb=$3 rpm=$4 conf="$STAGE/nfpm-$1.yaml"
  local depends requires
  depends="$(debDepends "$binary")"
  requires="$(rpmRequires "$binary")"
  {
    cat <<YAML
name: onramp
arch: amd64
platform: linux
version: "$VERSION"
version_schema: none
section: misc
priority: optional
maintainer: Onramp maintainers <maintainers@onramp.invalid>
vendor: Onramp
homepage: https://onramp.invalid/
license: Proprietary
description: |-
  Join an insurance network as a behavioral-health provider
  Onramp walks a behavioral-health provider through joining an insurance
  network: the onboarding and insurance forms, the training webinar and its
  quiz, the documents the network asks for, and the credentialing status.
  This build is for systems with WebKitGTK $variant.
deb:
  compression: xz
rpm:
  compression: xz
  group: Applications/Productivity
  summary: Join an insurance network as a behavioral-health provider
overrides:
  deb:
    depends:
YAML
    sed 's/^/      - "/; s/$/"/' <<<"$depends"
    echo '  rpm:'
    echo '    depends:'
    sed 's/^/      - "/; s/$/"/' <<<"$requires"
    cat <<YAML
contents:
  - src: $binary
    dst: /usr/bin/onramp
    file_info: {mode: 0755}
  - src: build/linux/$ID.desktop
    dst: /usr/share/applications/$ID.desktop
    file_info: {mode: 0644}
  - src: $STAGE/$ID.metainfo.xml
    dst: /usr/share/metainfo/$ID.metainfo.xml
    file_info: {mode: 0644}
  - src: build/linux/copyright
    dst: /usr/share/doc/onramp/copyright
    file_info: {mode: 0644}
  - src: $STAGE/changelog.gz
    dst: /usr/share/doc/onramp/changelog.gz
    file_info: {mode: 0644}
  - src: $STAGE/onramp.1.gz
    dst: /usr/share/man/man1/onramp.1.gz
    file_info: {mode: 0644}
YAML
    for f in backend/packet/fonts/LICENSE-*.txt; do
      printf '  - src: %s\n    dst: /usr/share/doc/onramp/%s\n    file_info: {mode: 0644}\n' "$f" "$(basename "$f")"
    done
    for size in 16 24 32 48 64 128 256 512; do
      printf '  - src: %s\n    dst: /usr/share/icons/hicolor/%sx%s/apps/%s.png\n    file_info: {mode: 0644}\n' \
        "$STAGE/icons/$size.png" "$size" "$size" "$ID"
    done
  } >"$conf"
  rm -f "dist/$deb" "dist/$rpm"
  "$NFPM" package --config "$conf" --packager deb --target "dist/$deb" >/dev/null
  "$NFPM" package --config "$conf" --packager rpm --target "dist/$rpm" >/dev/null
}

echo "==> packing Onramp $VERSION into dist/"
if grep -q '^# TEST KEY' backend/onboarding/updates/release.pub; then
  echo "    (this build trusts the repository's TEST release key: fine for tests, not for providers; make release refuses it)"
fi
pack 4.0 build/bin/onramp "onramp_${VERSION}_amd64.deb" "onramp-${VERSION}-1.x86_64.rpm"
pack 4.1 build/bin/onramp-webkit41 "onramp_${VERSION}_amd64_webkit41.deb" "onramp-${VERSION}-1.webkit41.x86_64.rpm"
ls -l dist/
