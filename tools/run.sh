#!/usr/bin/env bash
# Runs the whole loop on this machine: the network's intake server on
# loopback (its data in tmp/run-intake.db) with its mail submission service,
# a mail sink the intake server relays all email to (guidance email, and the
# app's, which goes through the submission service with no relay set in the
# app), and the app configured to sync with it. Prints an invitation code
# for the app's first-run screen.
#
# Each service is checked before the app starts: its own process must be
# alive, say where it listens, and answer there (the intake server's
# /healthz, the sink's SMTP greeting). A port that something else holds
# stops the run with who holds it, rather than an app that cannot sync.
#
#   INTAKE_ADDR, SMTP_ADDR, SUBMISSION_ADDR
#                           where they listen (127.0.0.1:8765, 127.0.0.1:2525,
#                           127.0.0.1:2587; port 0 picks any free port)
#   ONRAMP_RUN_NO_APP=1     check the services, print the summary and stop
#                           them, without opening the app (tools/run-check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA:-$PWD/tmp/run-data}"
INTAKE_DB="${INTAKE_DB:-$PWD/tmp/run-intake.db}"
ADDR="${INTAKE_ADDR:-127.0.0.1:8765}"
LOGS="${RUN_LOGS:-$PWD/tmp}"
mkdir -p "$DATA" "$(dirname "$INTAKE_DB")" "$LOGS"

MAIL_DIR="${MAIL_DIR:-$PWD/tmp/mail}"
SMTP_ADDR="${SMTP_ADDR:-127.0.0.1:2525}"
SUBMISSION_ADDR="${SUBMISSION_ADDR:-127.0.0.1:2587}"
go build -o .bin/onramp-intake ./cmd/onramp-intake
go build -o .bin/onramp-mailsink ./cmd/onramp-mailsink

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null || true' EXIT

# holder names the process listening on a port, when ss can tell.
holder() {
  ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (PID \2)/p' | head -1
}

# started NAME PID LOG WANT: waits for the service to log where it listens
# and prints that address; if it exits or stays silent, says plainly why
# and stops the run.
started() {
  local name=$1 pid=$2 log=$3 want=$4
  for _ in $(seq 1 100); do
    if grep -q 'listening on' "$log"; then
      sed -n 's/.*listening on \(http:\/\/\)\{0,1\}\([0-9.:]*\).*/\2/p' "$log" | head -1
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  local port=${want##*:} who
  if grep -q 'address already in use' "$log"; then
    who="$(holder "$port")"
    echo "Cannot start the $name: port $port on ${want%:*} is already taken${who:+ by $who}." >&2
    echo "Stop that program, or use another port: make run $5=127.0.0.1:0 (any free port)." >&2
  else
    echo "The $name did not start (log: $log):" >&2
    sed 's/^/  /' "$log" >&2
  fi
  exit 1
}

# answers NAME PID LOG WHAT CHECK...: the service's own process is still
# alive and the check (run against the address it printed) succeeds.
answers() {
  local name=$1 pid=$2 log=$3 what=$4
  shift 4
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    if "$@"; then return 0; fi
    sleep 0.1
  done
  echo "The $name started but $what (log: $log):" >&2
  sed 's/^/  /' "$log" >&2
  exit 1
}

healthz() { [[ "$(curl -sf --max-time 2 "http://$1/healthz")" == *'"ok":true'* ]]; }
smtp_greets() {
  (
    exec 3<>"/dev/tcp/${1%:*}/${1##*:}" && read -r -t 2 line <&3 && [[ $line == 220* ]]
  ) 2>/dev/null
}

: >"$LOGS/run-mailsink.log"
.bin/onramp-mailsink --addr "$SMTP_ADDR" --dir "$MAIL_DIR" >"$LOGS/run-mailsink.log" 2>&1 &
mailsink=$!
pids+=("$mailsink")
SMTP_ADDR="$(started "mail sink" "$mailsink" "$LOGS/run-mailsink.log" "$SMTP_ADDR" SMTP_ADDR)"
answers "mail sink" "$mailsink" "$LOGS/run-mailsink.log" "does not greet SMTP clients at $SMTP_ADDR" smtp_greets "$SMTP_ADDR"

# The network's encryption key: the app seals the CAQH login, SSN and date
# of birth to it. Made once, kept beside the database (a real network keeps
# it on the support desk, not on the server).
NETWORK_KEY="${NETWORK_KEY:-$(dirname "$INTAKE_DB")/run-network.key}"
[ -f "$NETWORK_KEY" ] || .bin/onramp-intake network-key --out "$NETWORK_KEY" >/dev/null

: >"$LOGS/run-intake.log"
.bin/onramp-intake serve --db "$INTAKE_DB" --addr "$ADDR" --network-key "$NETWORK_KEY" \
  --smtp "smtp://onramp:onramp@$SMTP_ADDR" --mail-from "Network onboarding <onboarding@network.localhost>" \
  --submission-addr "$SUBMISSION_ADDR" --support-email support@network.localhost --credentialing-email credentialing@network.localhost \
  >"$LOGS/run-intake.log" 2>&1 &
intake=$!
pids+=("$intake")
ADDR="$(started "intake server" "$intake" "$LOGS/run-intake.log" "$ADDR" INTAKE_ADDR)"
answers "intake server" "$intake" "$LOGS/run-intake.log" "does not answer http://$ADDR/healthz" healthz "$ADDR"
SUBMISSION_ADDR="$(sed -n 's/.*mail submission on \([0-9.:]*\) .*/\1/p' "$LOGS/run-intake.log" | head -1)"
answers "intake server" "$intake" "$LOGS/run-intake.log" "its mail submission service does not greet at $SUBMISSION_ADDR" smtp_greets "$SUBMISSION_ADDR"

code=$(.bin/onramp-intake invite --db "$INTAKE_DB" --email provider@example.org)
cat <<MSG

  Intake server:   http://$ADDR   (log: $LOGS/run-intake.log, data: $INTAKE_DB)
  Mail submission: smtp://$SUBMISSION_ADDR   (the app sends its email here once enrolled: nothing to set up)
  Mail sink:       smtp://$SMTP_ADDR   (every email the intake server relays, the app's included, lands in $MAIL_DIR as .eml)
  App data folder: $DATA
  Invitation code for the first-run screen: $code

  Support commands, in another terminal:
    .bin/onramp-intake providers --db $INTAKE_DB
    .bin/onramp-intake review    --db $INTAKE_DB --provider 1 --form general
    .bin/onramp-intake packets   --db $INTAKE_DB
    .bin/onramp-intake reveal    --db $INTAKE_DB --provider 1 --field ssn --key $NETWORK_KEY   (audited)
    .bin/onramp-intake requests  --db $INTAKE_DB     (Insurance & Directories)
    .bin/onramp-intake mail      --db $INTAKE_DB     (the server's mail queue: guidance and the app's email)

MSG
if [ "${ONRAMP_RUN_NO_APP:-}" = 1 ]; then
  echo "Services checked; not opening the app (ONRAMP_RUN_NO_APP=1)."
  exit 0
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No screen found: running inside a virtual display (Xvfb). Use a desktop session to see the window."
fi
# Settings saved in the app's Settings screen win over these addresses. No
# --smtp: the app's email goes through the network's submission service.
tools/with-display.sh build/bin/onramp --data-dir "$DATA" --intake-url "http://$ADDR" \
  --support-email support@network.localhost --mail-from onramp@localhost
