#!/usr/bin/env bash
# One inbound SMTP probe for A/B comparisons (docs/perf.md, "Inbound SMTP: where the CPU goes"): a fresh mailerq
# (MAILERQ, default out/aot/mailerq; "sink" for smtp-sink) on a fresh data directory, WARMUP (1,000) warm-up messages, then MESSAGES (4,000) over
# 10 sessions with Postfix's smtp-source; prints msg/s and the process's CPU ms per message. Extra arguments are
# environment assignments for mailerq, e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70. Run two builds or two
# settings alternately, several times. The data directory is left in place on purpose: deleting many files makes
# the next run's file creation slower on ext4 without a journal. Remove WORK when done.
set -euo pipefail
cd "$(dirname "$0")/.."
MAILERQ=${MAILERQ:-out/aot/mailerq}
MESSAGES=${MESSAGES:-4000}
WARMUP=${WARMUP:-1000}
WORK=${WORK:-/tmp/mailerq-inbound-ab}
LABEL=${LABEL:-run}
command -v smtp-source >/dev/null || [[ -x /usr/sbin/smtp-source ]] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix; }

source bench/inbound-server.sh
source_args=(-s ${SESSIONS:-10} -l 1024 -f sender@source.example -t rcpt@sink.example "127.0.0.1:$port")
/usr/sbin/smtp-source -m "$WARMUP" "${source_args[@]}"
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
c0=$(ticks); t0=$(date +%s.%N)
/usr/sbin/smtp-source -m "$MESSAGES" "${source_args[@]}"
t1=$(date +%s.%N); c1=$(ticks)
awk -v l="$LABEL" -v m="$MESSAGES" -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" -v hz="$hz" \
  'BEGIN { printf "%s msg_per_s=%.0f cpu_ms_per_message=%.3f\n", l, m / (t1 - t0), c * 1000 / hz / m }'
