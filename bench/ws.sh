#!/usr/bin/env bash
# WebSocket fan-out (issues 6 and 10): ours (out/mailerq, trace bus, SMTP as the publisher) against the
# Kestrel peer's /ws broadcast (bench/KestrelPeer, a websocket publisher), both driven by bench/WsFanout
# with the same raw-socket subscribers, in alternating rounds; then ours with stalled subscribers.
# Knobs (environment): SUBSCRIBERS (1000), RATE (1000 chunks/s), SAT_RATE (4000 chunks/s, the capacity
# run), RUN_SECONDS (8 per run; not SECONDS, which bash owns), ROUNDS (2), MAILERQ (out/mailerq), SKIP_BUILD, OUT (file for the raw lines).
# `make bench-ws` runs it from the repository root; every run is a few seconds plus connecting.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SUBSCRIBERS=${SUBSCRIBERS:-1000}
RATE=${RATE:-1000}
SAT_RATE=${SAT_RATE:-4000}
RUN_SECONDS=${RUN_SECONDS:-8}
ROUNDS=${ROUNDS:-2}
MAILERQ=${MAILERQ:-$ROOT/out/mailerq}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

WORK=$(mktemp -d /tmp/mailerq-ws.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
log() { echo "# $*" >&2; }

if [[ -z "${SKIP_BUILD:-}" ]]; then
  log "building out/mailerq (make build), the Kestrel peer and bench/WsFanout"
  make -s build >/dev/null
  dotnet publish bench/KestrelPeer/KestrelPeer.csproj -c Release -o out/bench/kestrel-peer --nologo -v q >/dev/null
  dotnet publish bench/WsFanout/WsFanout.csproj -c Release -o out/bench/ws-fanout --nologo -v q >/dev/null
fi
KESTREL=$ROOT/out/bench/kestrel-peer/KestrelPeer
FANOUT=$ROOT/out/bench/ws-fanout/WsFanout

source bench/free-port.sh
wait_port() {
  for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$1/healthz" && return 0; sleep 0.05; done
  echo "server on port $1 did not answer" >&2; tail -n 5 "$WORK"/*.log >&2; return 1
}

HTTP=$(free_port); SMTP=$(free_port); K_PORT=$(free_port)
mkdir -p "$WORK/var" "$WORK/www"
# Room for every subscriber plus the publisher and some slack.
printf 'www-ip: 127.0.0.1\nwww-port: %s\nwww-dir: %s\nwww-auth: hardcoded://user:pw\nwww-connections: 4096\nsmtp-ip: 127.0.0.1\nsmtp-port: %s\ndata-directory: %s\n' \
  "$HTTP" "$WORK/www" "$SMTP" "$WORK/var" > "$WORK/ours.txt"
"$MAILERQ" --config-file "$WORK/ours.txt" 2>"$WORK/ours.log" & OURS_PID=$!; PIDS+=("$OURS_PID")
"$KESTREL" --port "$K_PORT" --www "$WORK/www" >"$WORK/kestrel.log" 2>&1 & K_PID=$!; PIDS+=("$K_PID")
wait_port "$HTTP"; wait_port "$K_PORT"

RAW=$WORK/raw.txt
: > "$RAW"
run() { # label args...
  local label=$1; shift
  local line
  line="$("$FANOUT" "$@") load=$(cut -d' ' -f1 /proc/loadavg)"
  echo "$label $line" | tee -a "$RAW" >&2
}
ours() { run "$1" ours "$HTTP" "$SMTP" user:pw "$2" "$3" "$RUN_SECONDS" "$4" "$OURS_PID"; }
kestrel() { run "$1" kestrel "$K_PORT" "$2" "$RUN_SECONDS" "$3" "$K_PID"; }

log "warm-up: 2 s per server at 100 subscribers"
"$FANOUT" ours "$HTTP" "$SMTP" user:pw 100 0 2 "$RATE" >/dev/null
"$FANOUT" kestrel "$K_PORT" 100 2 "$RATE" >/dev/null

for round in $(seq 1 "$ROUNDS"); do
  # Alternate who goes first, so neither always runs on a cooler machine.
  if (( round % 2 )); then order=(ours kestrel); else order=(kestrel ours); fi
  for server in "${order[@]}"; do
    log "round $round/$ROUNDS $server: $SUBSCRIBERS subscribers at $RATE and $SAT_RATE chunks/s"
    "$server" "compare-$RATE" "$SUBSCRIBERS" $([[ $server == ours ]] && echo 0) "$RATE"
    "$server" "capacity-$SAT_RATE" "$SUBSCRIBERS" $([[ $server == ours ]] && echo 0) "$SAT_RATE"
  done
  log "round $round/$ROUNDS stalled subscribers (ours)"
  if (( round % 2 )); then stalls=(0 100); else stalls=(100 0); fi
  for s in "${stalls[@]}"; do ours "stall-100r-$s" 100 "$s" "$RATE"; done
  for s in "${stalls[@]}"; do ours "stall-${SUBSCRIBERS}r-$s" "$SUBSCRIBERS" "$s" "$RATE"; done
done

echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(uname -sr), dotnet $(dotnet --version)"
cat "$RAW"
if [[ -n "${OUT:-}" ]]; then cp "$RAW" "$OUT"; log "raw output: $OUT"; fi
