# Onramp — every command a developer or CI needs. `make run` and `make test`
# each do their own set-up first (tools/setup.sh), so a fresh machine needs
# nothing else.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

WAILS   := $(CURDIR)/.bin/wails
BINARY  := build/bin/onramp
SHOTS   := build/screenshots
DATA    ?= $(CURDIR)/tmp/run-data
# go-sqlite3's C code builds ~3x faster at -O1; it is rebuilt for -race, dev and
# production builds, so this is most of the cold build time.
# go-sqlite3's C code: optimised for size (it compiles 3x faster than at the
# default -O2, and the app never needs SQLite's full-text search, R-trees,
# JSON functions, shared cache or progress callbacks).
export CGO_CFLAGS ?= -Os -USQLITE_ENABLE_FTS3 -USQLITE_ENABLE_FTS3_PARENTHESIS -USQLITE_ENABLE_RTREE \
	-DSQLITE_OMIT_JSON -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_OMIT_PROGRESS_CALLBACK -DSQLITE_OMIT_DEPRECATED \
	-DSQLITE_OMIT_GET_TABLE -DSQLITE_OMIT_TCL_VARIABLE
export GOFLAGS ?= -buildvcs=false

# The app's version: wails.json's info.productVersion is the one place it is
# written (Wails puts it in the Windows version resource and the macOS
# Info.plist too). Builds made here stamp it into the binary
# (backend/version); a plain `go build` or `wails dev` says 0.0.0-dev.
VERSION := $(shell sed -n 's/^ *"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
ifeq ($(VERSION),)
$(error wails.json has no info.productVersion)
endif
STAMP := -X onramp/backend/version.stamped=$(VERSION)

.PHONY: help print-stamp setup bindings frontend build build-webkit41 dist check-dist check-installed dist-windows test-windows release run dev test test-go test-fuzz test-frontend test-e2e test-window bench webinar fonts clean

help:
	@echo "make run    set up, build and open Onramp (data in $(DATA))"
	@echo "make test   set up, then every check: vet, Go tests, frontend, wails build, browser e2e, window smoke, packages (Linux installed, Windows read)"
	@echo "make bench  measure start-up, sizes and time to first window into docs/BENCHMARKS.md"
	@echo "make dist   Linux packages (.deb, .rpm; WebKitGTK 4.0 and 4.1) into dist/; make check-dist checks them"
	@echo "make dist-windows  onramp.exe and its installer into dist/; make test-windows checks them"
	@echo "make release  make dist and make dist-windows, refused while the app trusts the TEST release key"
	@echo "make webinar  remake the training video from its slides and narration"

# The link flag that stamps the version (backend/version's test builds with it).
print-stamp:
	@echo '$(STAMP)'

setup:
	@tools/setup.sh

# The generated bindings live in frontend/wailsjs (not in git): made from the
# Go code before every type-check and build.
bindings: setup
	@echo "==> generating frontend bindings"
	@mkdir -p tmp frontend/dist && touch frontend/dist/.gitkeep && $(WAILS) generate module >tmp/bindings.log 2>&1 || { cat tmp/bindings.log; exit 1; }

frontend: bindings
	@echo "==> building the frontend"
	@cd frontend && npm run --silent build >/dev/null
	@go run ./tools/zipdist

# The desktop binary has a 15 MB budget. It is built without inlining where
# speed is paced by the person using the app or by the network: outside the
# standard library (Wails, its helpers, Onramp's own code), but gofpdf and
# go-sqlite3; and in the standard library's HTTP, MIME, templates, X.509,
# gob/ASN.1, logging and flag parsing. Hashing, compression, TLS's ciphers,
# images, JSON, PDF and SQLite stay inlined. With the hand-off in it the
# binary is 14.80 MB so, against 15.29 MB with the defaults; the window
# launch and idle figures in docs/BENCHMARKS.md are of this build, and the
# packet build benchmark does not move with it.
NOINLINE := -gcflags=all=-l -gcflags=std= -gcflags=github.com/jung-kurt/gofpdf= -gcflags=github.com/mattn/go-sqlite3= \
	-gcflags=net/...=-l -gcflags=text/...=-l -gcflags=html/...=-l -gcflags=encoding/gob=-l -gcflags=encoding/asn1=-l \
	-gcflags=crypto/x509/...=-l -gcflags=mime/...=-l -gcflags=go/...=-l -gcflags=debug/...=-l -gcflags=os/exec=-l \
	-gcflags=log/...=-l -gcflags=flag=-l -gcflags=vendor/golang.org/x/net/...=-l -gcflags=vendor/golang.org/x/text/...=-l

build: frontend
	@echo "==> wails build"
	@GOFLAGS="$(GOFLAGS) $(NOINLINE)" $(WAILS) build -s -m -nosyncgomod -skipbindings -trimpath -ldflags "-s -w $(STAMP)" >tmp/wails-build.log 2>&1 || { cat tmp/wails-build.log; exit 1; }
	@CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $(STAMP)" -o build/bin/onramp-packet ./cmd/onramp-packet
	@ls -l $(BINARY) build/bin/onramp-packet

# The same app for systems that ship only WebKitGTK 4.1 (Ubuntu 24.04, Debian
# 13): Wails' webkit2_41 build tag links libwebkit2gtk-4.1 instead of 4.0.
build-webkit41: frontend
	@echo "==> wails build (WebKitGTK 4.1)"
	@GOFLAGS="$(GOFLAGS) $(NOINLINE)" $(WAILS) build -s -m -nosyncgomod -skipbindings -trimpath -tags webkit2_41 -o onramp-webkit41 \
		-ldflags "-s -w $(STAMP)" >tmp/wails-build-webkit41.log 2>&1 || { cat tmp/wails-build-webkit41.log; exit 1; }
	@ls -l build/bin/onramp-webkit41

# Linux packages into dist/: a .deb and an .rpm of each build (nfpm, from
# tools/nfpm); tools/dist.sh says what goes in them.
dist: build build-webkit41
	@VERSION=$(VERSION) tools/dist.sh

# Checks of what make dist wrote: lintian, desktop-file-validate, appstreamcli,
# rpm -qpl.
check-dist:
	@VERSION=$(VERSION) tools/check-dist.sh

# Installs each .deb here, starts the installed app under Xvfb, purges it
# (tools/check-installed.sh). Needs root (or sudo): it installs and purges
# the package onramp, and refuses to start if one is installed already.
check-installed:
	@VERSION=$(VERSION) tools/check-installed.sh

# Windows: onramp.exe and its NSIS installer, cross-built with MinGW-w64 into
# dist/ (tools/dist-windows.sh). On two cores a first build takes about 4
# minutes (SQLite's C code and the standard library for Windows), a rebuild
# from Go's build cache 10-15 s.
dist-windows: frontend
	@echo "==> cross-building onramp.exe and its installer for Windows"
	@NOINLINE="$(NOINLINE)" STAMP="$(STAMP)" tools/dist-windows.sh

# The Windows build read as Windows would load it (tests/windows).
test-windows: dist-windows
	@echo "==> static checks of the Windows build"
	@ONRAMP_WINDOWS_DIST=$(CURDIR)/dist go test -count=1 ./tests/windows/

# A build for providers: every package, but only once the app trusts a real
# release key (make dist alone, as make test runs it, packs the repository's
# TEST key and says so).
release:
	@echo "==> checking the release key built into the app"
	@go test -count=1 -tags releasebuild -run TestReleaseKeyIsReal ./backend/onboarding/updates/
	@$(MAKE) --no-print-directory dist dist-windows

run: build
	@echo "==> starting the local intake server and Onramp"
	@DATA=$(DATA) tools/run.sh

test: setup test-go test-fuzz test-frontend build test-e2e test-window dist check-dist check-installed test-windows
	@echo "==> all checks passed"

# Tests skip, naming what they lack, when a tool is missing (so `go test ./...`
# passes with only Go); here, after set-up installed everything, a missing
# tool fails the test instead (backend/testenv).
test test-go test-e2e test-window test-windows bench: export ONRAMP_REQUIRE_ALL := 1

test-go: frontend
	@echo "==> gofmt, go vet"
	@unformatted=$$(gofmt -l *.go backend cmd tests tools); if [ -n "$$unformatted" ]; then echo "not gofmt-formatted: $$unformatted"; exit 1; fi
	@go vet ./...
	@go vet -tags desktop,production .
	@echo "==> go test -race"
	@go test -race -count=1 ./...

FUZZTIME ?= 5s
test-fuzz:
	@echo "==> fuzzing each target for $(FUZZTIME)"
	@tools/fuzz.sh $(FUZZTIME) validate:FuzzEmail validate:FuzzPersonName validate:FuzzInvitationCode validate:FuzzNPI \
		validate:FuzzDEA validate:FuzzCAQHID validate:FuzzZIP validate:FuzzPhone validate:FuzzSSN forms:FuzzDecodeData \
		validate:FuzzSameName secret:FuzzOpen attach:FuzzCheck webinar:FuzzCoverage webinar:FuzzParseVTT packet:FuzzOpen \
		picture:FuzzOrientation picture:FuzzRender strictjson:FuzzDecode seal:FuzzOpen

test-frontend: bindings
	@echo "==> frontend type-check and unit tests"
	@cd frontend && npm run --silent check
	@cd frontend && npx vitest run

test-e2e: build
	@echo "==> browser end-to-end tests (wails dev + Chromium, under Xvfb)"
	@mkdir -p $(SHOTS) && ONRAMP_E2E_WAILS=$(WAILS) ONRAMP_SCREENSHOTS=$(CURDIR)/$(SHOTS) tools/with-display.sh tools/go-test-retry.sh ./tests/e2e/ -timeout 15m

test-window: build
	@echo "==> window smoke test (the built binary under Xvfb)"
	@mkdir -p $(SHOTS)
	@ONRAMP_XVFB=1 ONRAMP_WINDOW_BINARY=$(CURDIR)/$(BINARY) ONRAMP_SCREENSHOTS=$(CURDIR)/$(SHOTS) \
		tools/with-display.sh tools/go-test-retry.sh ./tests/window/ -timeout 5m

bench: dist dist-windows
	@VERSION=$(VERSION) tools/bench.sh

fonts:
	@tools/make-fonts.sh

# Remakes the training webinar and its captions (committed, so builds need
# none of this) from the slides and narration in backend/webinar/slides.tsv.
webinar:
	@command -v ffmpeg >/dev/null && command -v espeak-ng >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg espeak-ng >/dev/null; }
	@tools/make-webinar.sh

clean:
	rm -rf build/bin dist $(SHOTS) frontend/dist/assets frontend/dist/index.html frontend/bundle/dist.zip frontend/wailsjs tmp
