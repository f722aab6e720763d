#!/usr/bin/env bash
# Load comparison, ours (out/mailerq) against a minimal Kestrel app (bench/KestrelPeer), on loopback,
# in alternating rounds at equal wrk settings; prints medians and ours/Kestrel (issue 10).
# Also: a connection storm at www-connections, and NativeAOT size / first answer / RSS.
# Knobs (environment): ROUNDS (3), DURATION (5s), CONNS (32), THREADS (1), SKIP_AOT (unset), OUT (file).
# `make bench-load` runs it from the repository root. Both servers and the load share the machine's
# cores, so read ±5 % as noise.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-1}
STORM_LIMIT=${STORM_LIMIT:-64}
STORM_CONNS=${STORM_CONNS:-640}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
command -v openssl >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl; }

WORK=$(mktemp -d /tmp/mailerq-load.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

log() { echo "# $*" >&2; }

# --- build ---------------------------------------------------------------------------------
log "building out/mailerq (make build), the Kestrel peer and the load client"
make -s build >/dev/null
dotnet publish bench/KestrelPeer/KestrelPeer.csproj -c Release -o out/bench/kestrel-peer --nologo -v q >/dev/null
dotnet publish bench/LoadClient/LoadClient.csproj -c Release -o out/bench/load-client --nologo -v q >/dev/null
KESTREL=$ROOT/out/bench/kestrel-peer/KestrelPeer
CLIENT=$ROOT/out/bench/load-client/LoadClient

# --- fixtures --------------------------------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/var" "$WORK/var-tls" "$WORK/var-storm"
# Printable content so both servers pick text/plain by extension.
head -c 3072 /dev/urandom | base64 -w 0 | head -c 4096 > "$WORK/www/4k.txt"
head -c 786432 /dev/urandom | base64 -w 0 | head -c 1048576 > "$WORK/www/1m.txt"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null

source bench/free-port.sh
wait_port() { # PORT [scheme]
  for _ in $(seq 1 200); do
    curl -skf -o /dev/null "${2:-http}://127.0.0.1:$1/healthz" && return 0
    sleep 0.05
  done
  echo "server on port $1 did not answer" >&2; return 1
}

OURS_PORT=$(free_port); OURS_TLS=$(free_port); STORM_PORT=$(free_port)
K_PORT=$(free_port); K_TLS=$(free_port)

common="www-ip: 127.0.0.1
www-dir: $WORK/www
www-cache-control: max-age=60
www-auth: hardcoded://user:pw"
printf '%s\nwww-port: %s\nwww-connections: 1024\ndata-directory: %s\n' "$common" "$OURS_PORT" "$WORK/var" > "$WORK/ours.txt"
# TLS on its own instance: with www-port set too, plain HTTP would only redirect.
printf '%s\nwww-port: 0\nwww-secure-port: %s\nwww-certificate: %s\nwww-privatekey: %s\nwww-connections: 1024\ndata-directory: %s\n' \
  "$common" "$OURS_TLS" "$WORK/cert.pem" "$WORK/key.pem" "$WORK/var-tls" > "$WORK/ours-tls.txt"
printf '%s\nwww-port: %s\nwww-connections: %s\ndata-directory: %s\n' "$common" "$STORM_PORT" "$STORM_LIMIT" "$WORK/var-storm" > "$WORK/ours-storm.txt"

out/mailerq --config-file "$WORK/ours.txt" 2>"$WORK/ours.log" & OURS_PID=$!; PIDS+=("$OURS_PID")
out/mailerq --config-file "$WORK/ours-tls.txt" 2>"$WORK/ours-tls.log" & PIDS+=("$!")
"$KESTREL" --port "$K_PORT" --tls-port "$K_TLS" --www "$WORK/www" --cache-control max-age=60 \
  --cert "$WORK/cert.pem" --key "$WORK/key.pem" >"$WORK/kestrel.log" 2>&1 & K_PID=$!; PIDS+=("$K_PID")
wait_port "$OURS_PORT"; wait_port "$OURS_TLS" https; wait_port "$K_PORT"; wait_port "$K_TLS" https

# --- wrk rounds ------------------------------------------------------------------------------
RAW=$WORK/raw.txt
: > "$RAW"
rps() { awk '/^Requests\/sec:/ {print $2}'; }
# wrk prints latencies as 187.00us / 2.20ms / 1.01s; in ms.
pct() { awk -v q="$1%" '$1 == q { v=$2; m=1; if (v ~ /us$/) m=0.001; else if (v ~ /ms$/) m=1; else if (v ~ /s$/) m=1000; sub(/[a-z]+$/, "", v); printf "%.3f\n", v*m }'; }
median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "NaN"; else if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

declare -A RESULT LAT LAT99
run_wrk() { # name server url [extra wrk args...]
  local name=$1 server=$2 url=$3; shift 3
  local out
  # The URL goes before the options: wrk hands what follows "--" to the Lua script.
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url" "$@" 2>&1)
  { echo "### $name $server $(date -u +%T) wrk -t$THREADS -c$CONNS -d$DURATION --latency $url $*"; echo "$out"; } >> "$RAW"
  RESULT[$name/$server]+=" $(echo "$out" | rps)"
  LAT[$name/$server]+=" $(echo "$out" | pct 50)"
  LAT99[$name/$server]+=" $(echo "$out" | pct 99)"
}

SCENARIOS=(plaintext pipelined16 static4k static1m tls)
scenario_args() { # scenario server -> url and extra args
  local port tport
  if [[ $2 == ours ]]; then port=$OURS_PORT; tport=$OURS_TLS; else port=$K_PORT; tport=$K_TLS; fi
  case $1 in
    plaintext)  echo "http://127.0.0.1:$port/healthz" ;;
    pipelined16) echo "http://127.0.0.1:$port/healthz -s $ROOT/bench/pipeline.lua -- 16" ;;
    static4k)   echo "http://127.0.0.1:$port/4k.txt" ;;
    static1m)   echo "http://127.0.0.1:$port/1m.txt" ;;
    tls)        echo "https://127.0.0.1:$tport/healthz" ;;
  esac
}

log "warm-up (JIT, tiered compilation): 1 s per server and scenario"
for s in "${SCENARIOS[@]}"; do
  for server in ours kestrel; do
    read -r -a a <<< "$(scenario_args "$s" "$server")"
    wrk -t1 -c8 -d1s "${a[0]}" "${a[@]:1}" >/dev/null 2>&1 || true
  done
done

for round in $(seq 1 "$ROUNDS"); do
  # Alternate who goes first, so neither always runs on a cooler machine.
  if (( round % 2 )); then order=(ours kestrel); else order=(kestrel ours); fi
  for s in "${SCENARIOS[@]}"; do
    for server in "${order[@]}"; do
      read -r -a a <<< "$(scenario_args "$s" "$server")"
      log "round $round/$ROUNDS $s $server"
      run_wrk "$s" "$server" "${a[0]}" "${a[@]:1}"
    done
  done
done

# RSS of both after the load (VmHWM = peak).
rss() { awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {printf "%.1f MB (peak %.1f MB)", r/1024, h/1024}' "/proc/$1/status"; }
OURS_RSS=$(rss "$OURS_PID"); K_RSS=$(rss "$K_PID")

# --- connection storm --------------------------------------------------------------------------
out/mailerq --config-file "$WORK/ours-storm.txt" 2>"$WORK/ours-storm.log" & STORM_PID=$!; PIDS+=("$STORM_PID")
wait_port "$STORM_PORT"
log "connection storm: $STORM_CONNS parallel connects at www-connections: $STORM_LIMIT"
STORM=$("$CLIENT" storm "$STORM_PORT" "$STORM_CONNS")
echo "### storm ours www-connections=$STORM_LIMIT: $STORM" >> "$RAW"
kill "$STORM_PID"; wait "$STORM_PID" 2>/dev/null || true

# --- table -------------------------------------------------------------------------------------
{
  echo
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(uname -sr), dotnet $(dotnet --version)"
  echo "wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS alternating rounds, medians; loopback; both servers and wrk share the cores"
  echo
  echo "| scenario | ours req/s | Kestrel req/s | ours/Kestrel | p50 ms ours / Kestrel | p99 ms ours / Kestrel | rounds ours (req/s) | rounds Kestrel (req/s) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"
  for s in "${SCENARIOS[@]}"; do
    o=$(echo "${RESULT[$s/ours]:-}" | median); k=$(echo "${RESULT[$s/kestrel]:-}" | median)
    ratio=$(awk -v o="$o" -v k="$k" 'BEGIN {if (k > 0) printf "%.2f", o/k; else print "NaN"}')
    lo=$(echo "${LAT[$s/ours]:-}" | median); lk=$(echo "${LAT[$s/kestrel]:-}" | median)
    l9o=$(echo "${LAT99[$s/ours]:-}" | median); l9k=$(echo "${LAT99[$s/kestrel]:-}" | median)
    printf '| %s | %.0f | %.0f | %s | %.2f / %.2f | %.2f / %.2f | %s | %s |\n' "$s" "$o" "$k" "$ratio" "$lo" "$lk" "$l9o" "$l9k" \
      "$(printf '%.0f ' ${RESULT[$s/ours]:-})" "$(printf '%.0f ' ${RESULT[$s/kestrel]:-})"
  done
  echo
  echo "RSS after the load: ours $OURS_RSS; Kestrel $K_RSS"
  echo "connection storm (ours, www-connections: $STORM_LIMIT, $STORM_CONNS parallel connects): $STORM"
} | tee -a "$RAW"

# --- NativeAOT ---------------------------------------------------------------------------------
if [[ -z "${SKIP_AOT:-}" ]]; then
  log "NativeAOT: make aot"
  make -s aot >/dev/null
  AOT_PORT=$(free_port)
  printf '%s\nwww-port: %s\nwww-connections: 1024\ndata-directory: %s\n' "$common" "$AOT_PORT" "$WORK/var-aot" > "$WORK/aot.txt"
  mkdir -p "$WORK/var-aot"
  startup() { # label program: 5 starts, the ms of each; leaves the last one running (PID in $WORK/last.pid)
    local label=$1 prog=$2 ms=() line pid
    for i in 1 2 3 4 5; do
      line=$("$CLIENT" first-answer "$AOT_PORT" /bin/sh -c "exec $prog --config-file $WORK/aot.txt 2>>$WORK/aot.log")
      pid=${line##*pid=}
      ms+=("$(echo "$line" | sed 's/first-answer-ms=\([^ ]*\).*/\1/')")
      if (( i < 5 )); then kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done; fi
    done
    echo "$pid" > "$WORK/last.pid"
    echo "${ms[*]}"
  }
  aot_row() { # label program
    local starts pid idle loaded
    starts=$(startup "$1" "$2"); pid=$(cat "$WORK/last.pid"); PIDS+=("$pid")
    sleep 1; idle=$(awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$AOT_PORT/4k.txt" > "$WORK/aot-wrk.txt" 2>&1
    local r; r=$(rps < "$WORK/aot-wrk.txt")
    echo "### $1 static4k: $(tr '\n' ' ' < "$WORK/aot-wrk.txt")" >> "$RAW"
    loaded=$(awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$pid/status")
    kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
    printf '| %s | %s | %s | %s | %s | %.0f |\n' "$1" "$3" "$(echo "$starts" | median)" "$idle" "$loaded" "$r"
  }
  # Only the program's own files: out/ also holds the AOT build, bench tools, packages and the sample.
  fdd_size=$(find out -maxdepth 1 -type f -printf "%s\n" | awk '{s+=$1} END {print s+0}')
  {
    echo
    echo "| build | size on disk | exec → first /healthz 200, median of 5 (ms) | idle RSS (MB) | peak RSS under static 4 KiB load (MB) | static 4 KiB req/s |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    aot_row "NativeAOT out/aot/mailerq" "$ROOT/out/aot/mailerq" "$(stat -c %s out/aot/mailerq | awk '{printf "%.1f MB", $1/1048576}')"
    aot_row "framework-dependent out/mailerq" "$ROOT/out/mailerq" "$(awk -v s="$fdd_size" 'BEGIN {printf "%.1f MB + shared runtime", s/1048576}')"
  } | tee -a "$RAW"
fi

if [[ -n "${OUT:-}" ]]; then cp "$RAW" "$OUT"; log "raw output: $OUT"; fi
