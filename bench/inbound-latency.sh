#!/usr/bin/env bash
# Where an inbound SMTP session's time goes (docs/perf.md, "Spool journal: recycled segments"): a fresh mailerq
# (MAILERQ, default out/aot/mailerq) or, with MAILERQ=sink, Postfix's smtp-sink, under 10 smtp-source sessions;
# after WARMUP (4,000) messages, `perf record` of the server's socket and fdatasync system calls for one second in
# the middle of a 6,000-message run. Prints, per reply: the server's turnaround (command read -> reply sent; the
# commit of DATA is in it), the client's (reply sent -> next command read: smtp-source, loopback and scheduling),
# and the fdatasync latency. Needs perf (Debian: linux-perf) and root. The data directory is left in place (see
# bench/inbound-ab.sh for why); remove WORK when done.
set -euo pipefail
cd "$(dirname "$0")/.."
MAILERQ=${MAILERQ:-out/aot/mailerq}
WARMUP=${WARMUP:-4000}
WORK=${WORK:-/tmp/mailerq-inbound-latency}
command -v perf >/dev/null || { echo "perf not found (apt-get install linux-perf)" >&2; exit 2; }
source bench/inbound-server.sh
args=(-s 10 -l 1024 -f sender@source.example -t rcpt@sink.example "127.0.0.1:$port")
/usr/sbin/smtp-source -m "$WARMUP" "${args[@]}"
/usr/sbin/smtp-source -m 6000 "${args[@]}" & src=$!
sleep 0.7
perf record -q -p "$pid" -o "$data/perf.data" -e 'syscalls:sys_enter_recvfrom,syscalls:sys_exit_recvfrom,syscalls:sys_enter_sendto,syscalls:sys_enter_read,syscalls:sys_exit_read,syscalls:sys_enter_write,syscalls:sys_enter_fdatasync,syscalls:sys_exit_fdatasync,syscalls:sys_enter_close' -- sleep 1 2>/dev/null
wait $src
perf script -i "$data/perf.data" 2>/dev/null | python3 -c '
import re, sys
ev = re.compile(r"^\s*(.+?)\s+(\d+)\s+\[\d+\]\s+([\d.]+):\s+syscalls:sys_(enter|exit)_(\w+):\s*(.*)$")
pending, last_in, last_out, fs_start = {}, {}, {}, {}
server, client, fsync = [], [], []
for line in sys.stdin:
    m = ev.match(line)
    if not m:
        continue
    _, tid, t, kind, call, rest = m.groups()
    t = float(t)
    if kind == "enter":
        fd = re.search(r"fd: (0x[0-9a-f]+)", rest)
        fd = int(fd.group(1), 16) if fd else None
        if call in ("recvfrom", "read"):
            pending[tid] = fd
        elif call in ("sendto", "write") and fd is not None and fd > 3:
            if fd in last_in:
                server.append(t - last_in.pop(fd))
            last_out[fd] = t
        elif call == "fdatasync":
            fs_start[tid] = t
        elif call == "close":
            last_in.pop(fd, None); last_out.pop(fd, None)
    else:
        ret = int(rest.strip(), 16)
        if ret >= 1 << 63:
            ret -= 1 << 64
        if call in ("recvfrom", "read"):
            fd = pending.pop(tid, None)
            if fd is None or fd <= 3 or ret <= 0:
                continue
            if fd in last_out:
                client.append(t - last_out.pop(fd))
            last_in.setdefault(fd, t)
        elif call == "fdatasync" and tid in fs_start:
            fsync.append(t - fs_start.pop(tid))
def show(name, a):
    if not a:
        print(f"{name}: none"); return
    a.sort(); n = len(a)
    print(f"{name}: n={n} mean={1000*sum(a)/n:.3f} ms p50={1000*a[n//2]:.3f} p90={1000*a[int(n*.9)]:.3f} p99={1000*a[int(n*.99)]:.3f}")
show("server turnaround per reply", server)
show("client turnaround per reply", client)
show("fdatasync", fsync)
'
