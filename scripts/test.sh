#!/usr/bin/env bash
# ZooStack's test command (the README names it; .ci/run runs it).
#
# On a fresh Debian machine, as root, it:
#   1. installs Apache ZooKeeper 3.8 (Debian's `zookeeper`) if /usr/share/java/zookeeper.jar is missing,
#   2. installs PostgreSQL (Debian's `postgresql`) if no /usr/lib/postgresql/*/bin/postgres exists (the store
#      tests start their own throwaway cluster on a free loopback port; the cluster Debian starts on 5432 is unused),
#   3. installs QEMU and what guest images are built from (qemu-system-x86, qemu-utils, linux-image-cloud-amd64,
#      busybox-static, xorriso, isolinux, syslinux-common) and headless Chromium (chromium, chromium-driver) where
#      missing, and kazoo, cs, apache-libcloud, ansible (10.7.0) and sshpubkeys (`python3 -m pip`) if
#      importing them fails,
#   4. lints with swift-format (`--strict`: any finding fails the run) and fails if Agent, HostManagement or Cluster imports
#      CloudAPI (they use the application core, CloudCore), or if CloudAPI (the HTTP adapter) imports CloudStore
#      (every store access goes through the core),
#   5. fails if a shipped executable (`zoostack`, `zoostack-agent`) depends, directly or through another target, on
#      test support
#      (a *TestSupport target, ClusterHarness, a *Testing or *TestUtils product): benchmarks go in zoostack-bench;
#      and if a target declares a dependency that none of its sources imports,
#   6. builds everything including tests, then runs `swift test` (the ZooKeeper-timed suites in processes of their
#      own, one after another), teeing the output to a log,
#   7. fails if any test was skipped or cancelled: tests must never skip silently.
#
# Environment:
#   ZOOSTACK_SCRATCH_PATH  build directory passed as --scratch-path (default: SwiftPM's .build)
#   ZOOSTACK_TEST_LOG      where the build and test output go (default: <scratch>/zoostack-test.log)
#   ZOOSTACK_TEST_ARGS     extra arguments for `swift test`, e.g. "--filter ZooKeeperProtocolTests"
#   ZOOSTACK_TEST_ALL_ON_POSTGRES=1  also run CloudAPITests and CloudStoreTests with every TestCloud on PostgreSQL
#                          (ZOOSTACK_TEST_BACKEND=postgres; the backend-parameterized tests run on both anyway)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() {
    printf '\n==> %s\n' "$*"
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: '$*' needs root (or sudo)" >&2
        exit 1
    fi
}

apt_install() {
    # Refresh the package lists only when apt does not know the package yet (a fresh machine).
    if ! apt-cache policy "${@: -1}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        as_root apt-get update
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# 1. Apache ZooKeeper, for the oracle and integration tests (ZooKeeperTestSupport launches it).
if [ ! -f /usr/share/java/zookeeper.jar ]; then
    step "installing Apache ZooKeeper (Debian package zookeeper)"
    apt_install zookeeper
fi

# 2. PostgreSQL, for the store tests on PostgreSQL (CloudTestSupport's PostgresTestCluster launches it).
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    step "installing PostgreSQL (Debian package postgresql)"
    apt_install postgresql
fi

# 2b. QEMU and what guest images are built from, for the QEMU driver's tests (real TCG guests, nothing downloaded):
#     qemu-system-x86 and qemu-utils, Debian's cloud kernel, busybox-static, xorriso with isolinux/syslinux.
qemu_packages=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || qemu_packages+=(qemu-system-x86)
command -v qemu-img >/dev/null 2>&1 || qemu_packages+=(qemu-utils)
compgen -G "/boot/vmlinuz-*-cloud-amd64" >/dev/null || qemu_packages+=(linux-image-cloud-amd64)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || qemu_packages+=(busybox-static)
command -v xorriso >/dev/null 2>&1 || qemu_packages+=(xorriso)
[ -f /usr/lib/ISOLINUX/isolinux.bin ] || qemu_packages+=(isolinux)
[ -f /usr/lib/syslinux/modules/bios/ldlinux.c32 ] || qemu_packages+=(syslinux-common)
command -v ip >/dev/null 2>&1 || qemu_packages+=(iproute2)  # the QEMU agent's bridges and taps
command -v nft >/dev/null 2>&1 || qemu_packages+=(nftables) # the QEMU agent's security groups
if [ ${#qemu_packages[@]} -gt 0 ]; then
    step "installing ${qemu_packages[*]} (Debian packages, for the QEMU driver's tests)"
    apt_install --no-install-recommends "${qemu_packages[@]}"
fi

# 2c. Headless Chromium and its WebDriver, for the web console's browser tests.
browser_packages=()
command -v chromium >/dev/null 2>&1 || browser_packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || browser_packages+=(chromium-driver)
if [ ${#browser_packages[@]} -gt 0 ]; then
    step "installing ${browser_packages[*]} (Debian packages, for the web console's browser tests)"
    apt_install --no-install-recommends "${browser_packages[@]}"
fi

# 2d. promtool (Debian's prometheus), which checks the /metrics text; openssl and curl for the TLS tests.
ops_packages=()
command -v promtool >/dev/null 2>&1 || ops_packages+=(prometheus)
command -v openssl >/dev/null 2>&1 || ops_packages+=(openssl)
command -v curl >/dev/null 2>&1 || ops_packages+=(curl)
command -v ssh-keygen >/dev/null 2>&1 || ops_packages+=(openssh-client)  # the Ansible workflow's key pair
if [ ${#ops_packages[@]} -gt 0 ]; then
    step "installing ${ops_packages[*]} (Debian packages, for the metrics and TLS tests)"
    apt_install --no-install-recommends "${ops_packages[@]}"
fi

# 3. kazoo, cs and Apache Libcloud, the Python clients the interoperability tests drive (ZooKeeper and
#    CloudStack), as module:pip-package.
# Ansible's CloudStack collection comes with PyPI's `ansible` (pinned: the version the playbook was written for);
# its cs_sshkeypair module needs sshpubkeys.
for spec in kazoo:kazoo cs:cs libcloud:apache-libcloud ansible_collections.ngine_io:ansible==10.7.0 \
    sshpubkeys:sshpubkeys; do
    module=${spec%%:*} package=${spec#*:}
    if ! python3 -c "import $module" >/dev/null 2>&1; then
        step "installing $package"
        if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
            apt_install python3 python3-pip
        fi
        pip_install=(python3 -m pip install --quiet --disable-pip-version-check "$package")
        # Debian's own python3 is "externally managed" (PEP 668) and refuses a plain pip install.
        "${pip_install[@]}" || "${pip_install[@]}" --break-system-packages
        python3 -c "import $module"
    fi
done

scratch_args=()
scratch="${ZOOSTACK_SCRATCH_PATH:-.build}"
if [ -n "${ZOOSTACK_SCRATCH_PATH:-}" ]; then
    scratch_args=(--scratch-path "$ZOOSTACK_SCRATCH_PATH")
fi
mkdir -p "$scratch"
log="${ZOOSTACK_TEST_LOG:-$scratch/zoostack-test.log}"
: >"$log"

# 4. Lint.
step "swift format lint --strict"
swift format lint --strict -r Sources Tests Package.swift

# The layers: the agents and the cluster runtime work through the application core (CloudCore), never the API.
step "Agent, HostManagement and Cluster do not import CloudAPI"
if offenders=$(grep -rl '^import CloudAPI' Sources/Agent Sources/HostManagement Sources/Cluster); then
    printf 'error: imports CloudAPI (use CloudCore): %s\n' $offenders >&2
    exit 1
fi
step "CloudAPI does not import CloudStore"
if offenders=$(grep -rlE '^(@testable |@_exported )?import CloudStore' Sources/CloudAPI); then
    printf 'error: the API imports the store (go through CloudCore): %s\n' $offenders >&2
    exit 1
fi

# 5. The shipped binaries hold no test support, and every declared dependency is imported.
step "zoostack and zoostack-agent link no test support; no unused dependencies"
package_json=$(swift package describe --type json "${scratch_args[@]}")
python3 -c '
import json, re, sys
targets = {target["name"]: target for target in json.load(sys.stdin)["targets"]}
support = re.compile(r"TestSupport$|^ClusterHarness$|Testing$|TestUtils$")
seen, pending, found = set(), ["zoostack", "zoostack-agent"], []
while pending:
    name = pending.pop()
    if name in seen:
        continue
    seen.add(name)
    target = targets.get(name, {})
    for dependency in target.get("target_dependencies", []) + target.get("product_dependencies", []):
        if support.search(dependency):
            found.append(name + " -> " + dependency)
        pending.append(dependency)
if "zoostack" not in targets or "zoostack-agent" not in targets:
    sys.exit("error: Package.swift has no zoostack or no zoostack-agent target")
if found:
    sys.exit("error: a shipped executable depends on test support (move the code to zoostack-bench): " + ", ".join(found))
' <<<"$package_json"
python3 -c '
import json, os, re, sys
imports = re.compile(
    r"^[ \t]*(?:@\w+[ \t]+)*(?:(?:public|package|internal|private|fileprivate)[ \t]+)?import[ \t]+"
    r"(?:(?:struct|class|enum|protocol|func|var|let|typealias)[ \t]+)?(\w+)",
    re.M,
)
unused = []
for target in json.load(sys.stdin)["targets"]:
    modules = set()
    for source in target["sources"]:
        with open(os.path.join(target["path"], source), encoding="utf-8") as file:
            modules.update(imports.findall(file.read()))
    for dependency in target.get("target_dependencies", []) + target.get("product_dependencies", []):
        if dependency not in modules:
            unused.append(target["name"] + " -> " + dependency)
if unused:
    sys.exit("error: dependencies declared in Package.swift but never imported: " + ", ".join(unused))
' <<<"$package_json"

# 6. Build, then test.
step "swift build --build-tests"
swift build --build-tests "${scratch_args[@]}" --explicit-target-dependency-import-check error 2>&1 | tee -a "$log"

step "swift test (output in $log)"
read -r -a test_args <<<"${ZOOSTACK_TEST_ARGS:-}"
status=0
run_tests() {
    local code
    set +e
    swift test --skip-build "${scratch_args[@]}" "$@" 2>&1 | tee -a "$log"
    code=${PIPESTATUS[0]}
    set -e
    [ "$code" -eq 0 ] || status=$code
}
if [ ${#test_args[@]} -gt 0 ]; then
    run_tests "${test_args[@]}"
else
    # Swift Testing runs every test of a process in parallel. The suites that hold ZooKeeper sessions with
    # second-scale timeouts (and the crash and interop tests that start servers) run in processes of their own,
    # one after another, so that the whole suite's CPU burst cannot starve their pings on a 2-core machine.
    # The in-process cluster tests, then the multi-process ones (three `zoostack serve`, agents, ZooKeeper,
    # PostgreSQL), run last, each alone.
    timed='ZooStackIntegrationTests|ZooKeeperRecipesTests|CoordinationTests|ZooKeeperServerInteropTests|ZooKeeperServerTests|ClusterTests|ClusterProcessTests|AgentTests|ZooStackBenchCommandLineTests'
    # Real guests moved and resized across two hosts, and Ansible (a Python process per task): CPU-heavy enough
    # to make the main burst's TCG boots and browser tests time out, so they run after it, each group alone.
    heavy='ServeQEMUMigrationTests|ServeQEMUScalingTests|ServeQEMUMaintenanceTests|ServeQEMUDrsTests|ServeQEMUNetworkTests|ServeQEMUHATests|AnsibleInteropTests'
    run_tests --skip "$timed|$heavy"
    run_tests --filter 'ServeQEMUMigrationTests|ServeQEMUScalingTests'
    run_tests --filter 'ServeQEMUMaintenanceTests|ServeQEMUDrsTests|ServeQEMUNetworkTests'
    # HA with fencing: an agent's 4 s ZooKeeper session and 3 s HA waits, alone.
    run_tests --filter 'ServeQEMUHATests'
    run_tests --filter 'AnsibleInteropTests'
    # The agent suites (loopback agents, real QEMU guests) and the benchmarks' command-line runs (real guests, an
    # agent process) each in a process of their own: amid the whole suite's burst their connections time out.
    run_tests --filter 'AgentTests'
    run_tests --filter 'ZooStackBenchCommandLineTests'
    run_tests --filter 'ZooStackIntegrationTests|ZooKeeperRecipesTests'
    run_tests --filter 'CoordinationTests'
    run_tests --filter 'ZooKeeperServerInteropTests|ZooKeeperServerTests'
    run_tests --filter 'ClusterTests'
    run_tests --filter 'ClusterProcessTests'
fi
if [ "$status" -eq 0 ] && [ "${ZOOSTACK_TEST_ALL_ON_POSTGRES:-0}" = 1 ]; then
    step "swift test --filter 'CloudAPITests|CloudStoreTests' on PostgreSQL (output in $log)"
    ZOOSTACK_TEST_BACKEND=postgres run_tests --filter 'CloudAPITests|CloudStoreTests'
fi

# 7. No skipped tests. Swift Testing prints `Test name() skipped[: "reason"]` for .disabled/.enabled(if:) and
#    `Test name() was cancelled` for Test.cancel(); XCTest prints `Test Case '...' skipped` for XCTSkip.
skip_pattern="Test .+ skipped([.:]|$)|Test Case .+ skipped|with [1-9][0-9]* tests? skipped|Test .+ was cancelled"
if grep -Eq "$skip_pattern" "$log"; then
    echo "error: skipped or cancelled tests (tests must fail, not skip):" >&2
    grep -E "$skip_pattern" "$log" >&2
    [ "$status" -ne 0 ] || status=1
fi

if [ "$status" -ne 0 ]; then
    echo "error: swift test failed (status $status); see $log" >&2
fi
exit "$status"
