#!/bin/bash
# ZooStack's ZooKeeper client against Apache ZooKeeper's own Java client (ZkBench), on one Apache ZooKeeper 3.8
# standalone server (forceSync as default) started here on a free loopback port in a temp dir, the two clients
# alternating. Each prints a line per phase: create, get, set, exists, delete — ops/s, p50 and p99 latency.
#
# usage: Benchmarks/zk-client-vs-java.sh [rounds=3] [ops=20000] [window=200] [data-size=100] [clients=1]
# env:   ZOOSTACK_ZK_CLASSPATH (default /etc/zookeeper/conf:/usr/share/java/*), ZKBENCH (the Java bench's run.sh),
#        ZOOSTACK_BENCH_BIN (default: build .build-release/release/zoostack-bench),
#        BOTH_EXECUTORS=1 also runs ZooStack's workers on Swift's global executor (--global-executor)
set -euo pipefail
rounds=${1:-3}; ops=${2:-20000}; window=${3:-200}; size=${4:-100}; clients=${5:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
zkbench=${ZKBENCH:-$root/../shared/tools/zkbench/run.sh}
classpath=${ZOOSTACK_ZK_CLASSPATH:-/etc/zookeeper/conf:/usr/share/java/*}
[ -f "$zkbench" ] || { echo "no ZkBench at $zkbench (set ZKBENCH)" >&2; exit 2; }

if [ -z "${ZOOSTACK_BENCH_BIN:-}" ]; then
    (cd "$root" && swift build -c release --scratch-path .build-release --product zoostack-bench >&2)
    ZOOSTACK_BENCH_BIN=$root/.build-release/release/zoostack-bench
fi

dir=$(mktemp -d /tmp/zk-client-vs-java.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$dir/zoo.cfg" <<CFG
tickTime=2000
dataDir=$dir/data
clientPort=$port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=*
CFG
mkdir -p "$dir/data"
java -Dzookeeper.log.dir="$dir" -cp "$classpath" org.apache.zookeeper.server.ZooKeeperServerMain "$dir/zoo.cfg" \
    > "$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

ruok() { python3 - "$port" <<'PY'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1); s.sendall(b"ruok")
    sys.exit(0 if s.recv(4) == b"imok" else 1)
except OSError:
    sys.exit(1)
PY
}
for _ in $(seq 1 100); do ruok && break; sleep 0.2; done
ruok || { echo "Apache ZooKeeper did not start:" >&2; tail -20 "$dir/server.log" >&2; exit 2; }

echo "Apache ZooKeeper $(java -cp "$classpath" org.apache.zookeeper.Version 2>/dev/null | head -1) on 127.0.0.1:$port;" \
    "ops=$ops window=$window data-size=$size clients=$clients"
for round in $(seq 1 "$rounds"); do
    echo "== round $round: Java client (ZkBench)"
    bash "$zkbench" "127.0.0.1:$port" "$ops" "$window" "$size" "$clients"
    echo "== round $round: ZooStack client (zoostack-bench zookeeper)"
    "$ZOOSTACK_BENCH_BIN" zookeeper --server "127.0.0.1:$port" --ops "$ops" --window "$window" --data-size "$size" \
        --clients "$clients"
    if [ -n "${BOTH_EXECUTORS:-}" ]; then
        echo "== round $round: ZooStack client, workers on Swift's global executor (--global-executor)"
        "$ZOOSTACK_BENCH_BIN" zookeeper --server "127.0.0.1:$port" --ops "$ops" --window "$window" \
            --data-size "$size" --clients "$clients" --global-executor
    fi
done
