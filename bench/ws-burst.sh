#!/usr/bin/env bash
# How long one trace chunk takes to leave for every subscriber (docs/perf.md, "WebSocket p99 at 1,000
# subscribers"): out/mailerq (MAILERQ) with SUBSCRIBERS (1000) raw-socket subscribers from bench/WsFanout at RATE
# (50) chunks/s, and `perf record` of the server's send calls for 1.5 s in the middle of the run. Sends closer
# than 2 ms belong to one burst (a chunk, or a few, going out to every subscriber); prints the client's latency
# line and the bursts' sizes and durations (first to last send). Needs perf and root; builds nothing (run
# `make bench-ws` or `make build` and publish bench/WsFanout first).
set -euo pipefail
cd "$(dirname "$0")/.."
MAILERQ=${MAILERQ:-out/mailerq}
SUBSCRIBERS=${SUBSCRIBERS:-1000}
RATE=${RATE:-50}
FANOUT=out/bench/ws-fanout/WsFanout
command -v perf >/dev/null || { echo "perf not found (apt-get install linux-perf)" >&2; exit 2; }
[[ -x $FANOUT && -x $MAILERQ ]] || { echo "build first: make build; dotnet publish bench/WsFanout/WsFanout.csproj -c Release -o out/bench/ws-fanout" >&2; exit 2; }
source bench/free-port.sh
WORK=$(mktemp -d /tmp/mailerq-ws-burst.XXXXXX)
HTTP=$(free_port); SMTP=$(free_port)
mkdir -p "$WORK/var" "$WORK/www"
printf 'www-ip: 127.0.0.1\nwww-port: %s\nwww-dir: %s\nwww-auth: hardcoded://user:pw\nwww-connections: 4096\nsmtp-ip: 127.0.0.1\nsmtp-port: %s\ndata-directory: %s\n' \
  "$HTTP" "$WORK/www" "$SMTP" "$WORK/var" > "$WORK/ours.txt"
"$MAILERQ" --config-file "$WORK/ours.txt" 2>"$WORK/ours.log" & pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$HTTP/healthz" && break; sleep 0.05; done
"$FANOUT" ours "$HTTP" "$SMTP" user:pw 100 0 2 "$RATE" >/dev/null
"$FANOUT" ours "$HTTP" "$SMTP" user:pw "$SUBSCRIBERS" 0 6 "$RATE" "$pid" & client=$!
sleep 4
perf record -q -p "$pid" -o "$WORK/perf.data" -e 'syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_write,syscalls:sys_enter_writev' -- sleep 1.5 2>/dev/null
wait $client
perf script -i "$WORK/perf.data" 2>/dev/null | python3 -c '
import re, sys
times = sorted(float(m.group(1)) for m in (re.search(r"\s([\d.]+):\s+syscalls:sys_enter_", l) for l in sys.stdin) if m)
if not times:
    sys.exit("no sends traced")
bursts, current = [], [times[0]]
for t in times[1:]:
    if t - current[-1] > 0.002:
        bursts.append(current); current = [t]
    else:
        current.append(t)
bursts.append(current)
big = [b for b in bursts if len(b) > 10]
sizes = sorted(len(b) for b in big)
durations = sorted((b[-1] - b[0]) * 1000 for b in big)
n = len(big)
print(f"sends={len(times)} bursts={n} sends_per_burst_p50={sizes[n // 2]} burst_ms_p50={durations[n // 2]:.1f} burst_ms_p90={durations[int(n * .9)]:.1f} burst_ms_max={durations[-1]:.1f} us_per_send={1000 * durations[n // 2] / sizes[n // 2]:.1f}")
'
