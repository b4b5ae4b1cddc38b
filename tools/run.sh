#!/usr/bin/env bash
# Runs the whole loop on this machine: the network's intake server on
# loopback (its data in tmp/run-intake.db), a mail sink both the app and the
# intake server send through (guidance email included), and the app
# configured to sync with it. Prints an invitation code for the app's
# first-run screen.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA:-$PWD/tmp/run-data}"
INTAKE_DB="${INTAKE_DB:-$PWD/tmp/run-intake.db}"
ADDR="${INTAKE_ADDR:-127.0.0.1:8765}"
mkdir -p "$DATA" "$(dirname "$INTAKE_DB")"

MAIL_DIR="${MAIL_DIR:-$PWD/tmp/mail}"
SMTP_ADDR="${SMTP_ADDR:-127.0.0.1:2525}"
go build -o .bin/onramp-intake ./cmd/onramp-intake
go build -o .bin/onramp-mailsink ./cmd/onramp-mailsink
.bin/onramp-mailsink --addr "$SMTP_ADDR" --dir "$MAIL_DIR" >tmp/run-mailsink.log 2>&1 &
mailsink=$!
.bin/onramp-intake serve --db "$INTAKE_DB" --addr "$ADDR" \
  --smtp "smtp://onramp:onramp@$SMTP_ADDR" --mail-from "Network onboarding <onboarding@network.localhost>" \
  >tmp/run-intake.log 2>&1 &
intake=$!
trap 'kill "$intake" "$mailsink" 2>/dev/null; wait "$intake" "$mailsink" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://$ADDR/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

code=$(.bin/onramp-intake invite --db "$INTAKE_DB" --email provider@example.org)
cat <<MSG

  Intake server:   http://$ADDR   (log: tmp/run-intake.log, data: $INTAKE_DB)
  Mail sink:       smtp://$SMTP_ADDR   (every email the app and the intake server send lands in $MAIL_DIR as .eml)
  App data folder: $DATA
  Invitation code for the first-run screen: $code

  Support commands, in another terminal:
    .bin/onramp-intake providers --db $INTAKE_DB
    .bin/onramp-intake review    --db $INTAKE_DB --provider 1 --form general
    .bin/onramp-intake packets   --db $INTAKE_DB
    .bin/onramp-intake mail      --db $INTAKE_DB     (guidance email the server sent)

MSG
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No screen found: running inside a virtual display (Xvfb). Use a desktop session to see the window."
fi
tools/with-display.sh build/bin/onramp --data-dir "$DATA" --intake-url "http://$ADDR" --smtp "smtp://onramp:onramp@$SMTP_ADDR" \
  --support-email support@network.localhost --mail-from onramp@localhost
