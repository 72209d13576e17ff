#!/usr/bin/env bash
# Compares `bench cloud` (deploys/s, deploy p99, list p99, placement p99) of two builds on this machine, in one run,
# alternating them so that a load change on the machine hits both alike.
#
#   scripts/bench-compare.sh BEFORE AFTER [ROUNDS] [-- bench cloud options]
#
# BEFORE and AFTER are commits (each is built with `swift build -c release` in a temporary worktree under
# .build/bench-compare/) or paths to already built executables: a `zoostack` from before the benchmarks moved to
# zoostack-bench runs `bench cloud`, a zoostack-bench `cloud`.
set -euo pipefail
before=${1:?usage: scripts/bench-compare.sh BEFORE AFTER [ROUNDS] [-- options]}
after=${2:?usage: scripts/bench-compare.sh BEFORE AFTER [ROUNDS] [-- options]}
shift 2
rounds=2
if [ $# -gt 0 ] && [ "$1" != "--" ]; then rounds=$1; shift; fi
[ "${1:-}" = "--" ] && shift
options=("$@")
root=$(git rev-parse --show-toplevel)
work="$root/.build/bench-compare"
mkdir -p "$work"

# The executable for a commit or a path.
executable() {
    local target=$1
    if [ -x "$target" ]; then
        echo "$target"
        return
    fi
    local commit tree
    commit=$(git -C "$root" rev-parse --short "$target")
    tree="$work/$commit"
    if [ ! -d "$tree" ]; then
        git -C "$root" worktree add --detach "$tree" "$commit" >&2
    fi
    if grep -q 'name: "zoostack-bench"' "$tree/Package.swift"; then
        (cd "$tree" && swift build -c release --product zoostack-bench >&2)
        echo "$tree/.build/release/zoostack-bench"
    else
        (cd "$tree" && swift build -c release --product zoostack >&2)
        echo "$tree/.build/release/zoostack"
    fi
}

run() {
    local binary=$1
    if "$binary" --help 2>&1 | grep -qE '^ +bench '; then
        "$binary" bench cloud "${options[@]}"
    else
        "$binary" cloud "${options[@]}"
    fi
}

before_bin=$(executable "$before")
after_bin=$(executable "$after")
for round in $(seq 1 "$rounds"); do
    for side in before after; do
        binary=$before_bin
        [ "$side" = after ] && binary=$after_bin
        echo "== round $round, $side ($binary)"
        run "$binary" 2>/dev/null | grep -E '^(deploy|list|place) '
    done
done
