#!/usr/bin/env bash
# Cross-builds Onramp for 64-bit Windows from Linux: onramp.exe and its NSIS
# installer, into dist/. Run by `make dist-windows` after the frontend is
# built (the .exe embeds frontend/bundle/dist.zip like the Linux binary).
#
# `wails build -nsis` rewrites build/windows/installer/wails_tools.nsh and
# writes build/windows/installer/tmp/, so it runs on a copy of the tree in
# tmp/windows-src (a fixed path, so Go's build cache is reused) and the work
# tree stays as git has it.
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS=$PWD/.bin/wails
CC_WIN=x86_64-w64-mingw32-gcc
for tool in "$WAILS" "$CC_WIN" makensis; do
  command -v "$tool" >/dev/null || { echo "dist-windows: $tool is missing (tools/setup.sh installs it)" >&2; exit 1; }
done
[ -s frontend/bundle/dist.zip ] || { echo "dist-windows: frontend/bundle/dist.zip is missing (make frontend builds it)" >&2; exit 1; }

version=$(sed -n 's/^[[:space:]]*"productVersion":[[:space:]]*"\([^"]*\)".*/\1/p' wails.json)
[ -n "$version" ] || { echo "dist-windows: no productVersion in wails.json" >&2; exit 1; }

# The copy: every file git tracks or would track (as it is on disk now, so
# uncommitted edits are built), plus the packed frontend, which git ignores.
src=tmp/windows-src
rm -rf "$src" && mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar -cf - --null -T - frontend/bundle/dist.zip | tar -xf - -C "$src"

# Wails turns cgo on only for non-Windows targets; without CGO_ENABLED=1
# go-sqlite3 silently compiles its stub that fails every query at run time.
# -skipbindings: Wails 2.9.2 would build its bindings generator for Windows
# and try to run it here. -s: the frontend is already built and packed.
log=$PWD/tmp/windows-build.log
if ! (cd "$src" && CGO_ENABLED=1 CC=$CC_WIN GOFLAGS="${GOFLAGS:-} ${NOINLINE:-}" \
  "$WAILS" build -platform windows/amd64 -nsis -s -m -nosyncgomod -skipbindings -trimpath -ldflags "-s -w ${STAMP:-}") >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi

mkdir -p dist
cp "$src/build/bin/onramp.exe" dist/onramp.exe
# project.nsi names the installer after wails.json's "name" (Onramp).
cp "$src"/build/bin/*-amd64-installer.exe "dist/onramp_${version}_amd64-setup.exe"
ls -l dist/onramp.exe "dist/onramp_${version}_amd64-setup.exe"
