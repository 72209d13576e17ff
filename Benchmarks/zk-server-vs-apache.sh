#!/bin/bash
# ZooStack's ZooKeeper-compatible server (`zoostack zookeeper`, release build) against Apache ZooKeeper 3.8
# standalone, in one run on one machine: both fsync the txn log before replying (forceSync=yes), same tickTime,
# each on its own temp data dir and free loopback port. ../shared/tools/zkbench (Apache ZooKeeper's own Java
# client) runs against each in alternating order for `rounds` rounds; then each server gets the same dedicated
# load (20,000 znodes of 100 bytes, kept) and its resident memory (VmRSS) is read from /proc.
#
# Prints the raw ZkBench lines, then a table: per phase the median ops/s and p99 of each server, the ops/s ratio,
# the p99 verdict, and the RSS of both. The target (issue 3): ratio >= 1.5 on every phase, p99 no worse, RSS
# under a quarter of Apache's.
#
# usage: Benchmarks/zk-server-vs-apache.sh [rounds=3] [ops=20000] [window=200] [data-size=100]
# env:   ZKBENCH (the Java bench's run.sh; default ../shared/tools/zkbench/run.sh beside the checkout),
#        ZOOSTACK_BIN (default: swift build -c release --scratch-path .build-release --product zoostack),
#        ZOOSTACK_ZK_CLASSPATH (default /etc/zookeeper/conf:/usr/share/java/*),
#        APACHE_HEAP (default 1000m, zkServer.sh's default -Xmx), TICK_TIME (default 2000)
set -euo pipefail
rounds=${1:-3}; ops=${2:-20000}; window=${3:-200}; size=${4:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
classpath=${ZOOSTACK_ZK_CLASSPATH:-/etc/zookeeper/conf:/usr/share/java/*}
heap=${APACHE_HEAP:-1000m}
tick=${TICK_TIME:-2000}
if [ -z "${ZKBENCH:-}" ]; then
    # A worktree sits one level deeper than the main checkout: look beside both.
    for candidate in "$root/../shared/tools/zkbench/run.sh" "$root/../../shared/tools/zkbench/run.sh"; do
        [ -f "$candidate" ] && { ZKBENCH=$candidate; break; }
    done
fi
[ -f "${ZKBENCH:-}" ] || { echo "no ZkBench run.sh found (set ZKBENCH)" >&2; exit 2; }

if [ -z "${ZOOSTACK_BIN:-}" ]; then
    (cd "$root" && swift build -c release --scratch-path .build-release --product zoostack >&2)
    ZOOSTACK_BIN=$root/.build-release/release/zoostack
fi

dir=$(mktemp -d /tmp/zk-server-vs-apache.XXXXXX)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
apache_port=$(free_port)
ours_port=$(free_port)
mkdir -p "$dir/apache-data" "$dir/zoostack-data"
cat > "$dir/zoo.cfg" <<CFG
tickTime=$tick
dataDir=$dir/apache-data
clientPort=$apache_port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=*
forceSync=yes
CFG
java "-Xmx$heap" -Dzookeeper.log.dir="$dir" -cp "$classpath" org.apache.zookeeper.server.ZooKeeperServerMain \
    "$dir/zoo.cfg" > "$dir/apache.log" 2>&1 &
apache_pid=$!
"$ZOOSTACK_BIN" zookeeper --port "$ours_port" --data-dir "$dir/zoostack-data" --tick-time "$tick" \
    --4lw-whitelist '*' > "$dir/zoostack.log" 2>&1 &
ours_pid=$!
cleanup() {
    kill "$apache_pid" "$ours_pid" 2>/dev/null || true
    wait "$apache_pid" "$ours_pid" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT

ruok() { python3 - "$1" <<'PY'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1); s.sendall(b"ruok")
    sys.exit(0 if s.recv(4) == b"imok" else 1)
except OSError:
    sys.exit(1)
PY
}
for port in "$apache_port" "$ours_port"; do
    for _ in $(seq 1 150); do ruok "$port" && break; sleep 0.2; done
    ruok "$port" || { echo "server on $port did not start:" >&2; tail -20 "$dir"/*.log >&2; exit 2; }
done
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

echo "$(java -cp "$classpath" org.apache.zookeeper.Version 2>/dev/null | head -1 | cut -d- -f1): Apache ZooKeeper" \
    "on 127.0.0.1:$apache_port (java -Xmx$heap), zoostack zookeeper on 127.0.0.1:$ours_port;" \
    "tickTime=$tick forceSync=yes; ZkBench ops=$ops window=$window data-size=$size; $(nproc) cpus;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
bench() { # name port
    echo "== round $round: $1"
    bash "$ZKBENCH" "127.0.0.1:$2" "$ops" "$window" "$size" | tee -a "$dir/bench-$1.txt"
}
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
        bench apache "$apache_port"; bench zoostack "$ours_port"
    else
        bench zoostack "$ours_port"; bench apache "$apache_port"
    fi
done
apache_bench_rss=$(rss "$apache_pid"); ours_bench_rss=$(rss "$ours_pid")

# The same data in each: 20,000 znodes of 100 bytes under /rss, created 200 at a time, kept.
load() { python3 - "$1" <<'PY'
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
def frame(b): s.sendall(struct.pack(">i", len(b)) + b)
def read():
    def n(k):
        d = b""
        while len(d) < k:
            c = s.recv(k - len(d))
            if not c: raise SystemExit("connection closed")
            d += c
        return d
    return n(struct.unpack(">i", n(4))[0])
def st(x): return struct.pack(">i", len(x)) + x
frame(struct.pack(">iqiq", 0, 0, 30000, 0) + st(b"\0" * 16) + b"\0"); read()
acl = struct.pack(">ii", 1, 31) + st(b"world") + st(b"anyone")
def create(xid, path, data): frame(struct.pack(">ii", xid, 1) + st(path) + st(data) + acl + struct.pack(">i", 0))
create(1, b"/rss", b""); read()
for base in range(0, 20000, 200):
    for i in range(base, base + 200): create(i + 2, b"/rss/n%d" % i, bytes([i % 256]) * 100)
    for i in range(200):
        xid, zxid, err = struct.unpack(">iqi", read()[:16])
        if err != 0: raise SystemExit("create failed: %d" % err)
PY
}
load "$apache_port"; load "$ours_port"
sleep 2
apache_rss=$(rss "$apache_pid"); ours_rss=$(rss "$ours_pid")

python3 - "$dir/bench-apache.txt" "$dir/bench-zoostack.txt" "$rounds" "$apache_rss" "$ours_rss" \
    "$apache_bench_rss" "$ours_bench_rss" <<'PY'
import statistics, sys
def parse(path):
    phases = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 9 and f[2] == "ops/s":
            phases.setdefault(f[0], []).append((float(f[1]), float(f[7])))
    return phases
apache, ours = parse(sys.argv[1]), parse(sys.argv[2])
rounds = int(sys.argv[3]); a_rss, o_rss, a_brss, o_brss = (int(x) for x in sys.argv[4:8])
print()
print("medians of %d rounds (ops/s; p99 in ms)" % rounds)
print("%-7s %12s %12s %7s %11s %11s  %s" % ("phase", "apache ops/s", "zoostack", "ratio", "apache p99", "zoostack p99", "target"))
ok = True
for phase in ["create", "get", "set", "exists", "delete"]:
    a_ops = statistics.median(x[0] for x in apache[phase]); o_ops = statistics.median(x[0] for x in ours[phase])
    a_p99 = statistics.median(x[1] for x in apache[phase]); o_p99 = statistics.median(x[1] for x in ours[phase])
    met = o_ops >= 1.5 * a_ops and o_p99 <= a_p99
    ok &= met
    print("%-7s %12.0f %12.0f %6.2fx %11.2f %11.2f  %s" % (phase, a_ops, o_ops, o_ops / a_ops, a_p99, o_p99,
          "met" if met else "MISSED"))
    print("        rounds: apache %s / zoostack %s" % (
        ", ".join("%.0f" % x[0] for x in apache[phase]), ", ".join("%.0f" % x[0] for x in ours[phase])))
rss_met = o_rss * 4 < a_rss
ok &= rss_met
print("RSS with 20,000 znodes of 100 B: apache %.1f MiB, zoostack %.1f MiB (%.1f%% of apache)  %s" % (
    a_rss / 1024, o_rss / 1024, 100.0 * o_rss / a_rss, "met" if rss_met else "MISSED"))
print("RSS after the bench rounds:      apache %.1f MiB, zoostack %.1f MiB" % (a_brss / 1024, o_brss / 1024))
print("target (>= 1.5x ops/s and p99 no worse on every phase, RSS < 1/4): %s" % ("MET" if ok else "NOT MET"))
PY
