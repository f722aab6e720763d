#!/usr/bin/env bash
# SMTP load (issues 8 and 10): outbound deliveries/s from a pre-filled embedded outbox to Postfix's smtp-sink over
# a throttle of CONNECTIONS connections, with mailerq's RSS and CPU per delivery, at MESSAGES (rate) and BIG
# (memory stays bounded; stopped after MAX_SECONDS of delivering); then inbound messages/s with the fsync'd spool
# driven by smtp-source, against smtp-sink as the receive-only ceiling in the same run (alternating rounds).
# Knobs (environment): MESSAGES (10000), BIG (100000), CONNECTIONS (10), SIZE (1024), MAX_SECONDS (60),
# DELIVERY_ROUNDS (2), INBOUND_MESSAGES (5000), SESSIONS (10), ROUNDS (3), MAILERQ (out/mailerq; out/aot/mailerq
# after `make aot`), SKIP_BUILD (unset), OUT (file for the raw lines).
# `make bench-delivery` runs it from the repository root. Everything runs on 127.0.0.1; the programs it starts
# are stopped by PID. Postfix itself is never started (only its smtp-sink and smtp-source test programs).
set -euo pipefail
# OUT is relative to where the script was started from.
if [[ -n "${OUT:-}" && "$OUT" != /* ]]; then OUT="$PWD/$OUT"; fi
cd "$(dirname "$0")/.."
MESSAGES=${MESSAGES:-10000}
BIG=${BIG:-100000}
CONNECTIONS=${CONNECTIONS:-10}
SIZE=${SIZE:-1024}
MAX_SECONDS=${MAX_SECONDS:-60}
DELIVERY_ROUNDS=${DELIVERY_ROUNDS:-2}
INBOUND_MESSAGES=${INBOUND_MESSAGES:-5000}
SESSIONS=${SESSIONS:-10}
ROUNDS=${ROUNDS:-3}
MAILERQ=${MAILERQ:-out/mailerq}
OUT=${OUT:-/dev/null}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [[ ! -x /usr/sbin/smtp-sink || ! -x /usr/sbin/smtp-source ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "# building out/mailerq (make build) and bench/DeliveryLoad" >&2
  make -s build >/dev/null
  dotnet build bench/DeliveryLoad/DeliveryLoad.csproj -c Release -o out/bench/delivery-load --nologo -v q >/dev/null
fi
TOOL=(dotnet out/bench/delivery-load/MailerQ.Www.Bench.DeliveryLoad.dll)

echo "# machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(git rev-parse --short HEAD), $MAILERQ" | tee -a "$OUT" >&2
# Inbound first: the delivery runs delete their queues (100,000+ files) when they end, and ext4 without a journal
# (this machine's root) skips inodes freed in the last 60 s (6 minutes while their inode table block is unwritten) when it allocates;
# file creation right after such a deletion cost twice the CPU per message (docs/perf.md).
"${TOOL[@]}" inbound --mailerq "$MAILERQ" --messages "$INBOUND_MESSAGES" --sessions "$SESSIONS" --size "$SIZE" --rounds "$ROUNDS" | tee -a "$OUT"
for round in $(seq 1 "$DELIVERY_ROUNDS"); do
  "${TOOL[@]}" delivery --mailerq "$MAILERQ" --messages "$MESSAGES" --connections "$CONNECTIONS" --size "$SIZE" --max-seconds "$MAX_SECONDS" | tee -a "$OUT"
done
"${TOOL[@]}" delivery --mailerq "$MAILERQ" --messages "$BIG" --connections "$CONNECTIONS" --size "$SIZE" --max-seconds "$MAX_SECONDS" | tee -a "$OUT"
