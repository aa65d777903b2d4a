#!/usr/bin/env bash
# Runs INSIDE a qemu guest that .ci/real-kernel.sh boots (Debian 6.1 or 6.12; cgroup v2 with the memory controller,
# or VM_CGROUP=v1: only the v1 memory controller at /sys/fs/cgroup/memory; an ext4 scratch disk at /scratch, the
# host's / read-only, the repository shared read-write at its host path).
# Starts one JVM with the test classes the host built and runs the live tests (io.cgwatch.live.GuestMain):
# every scenario picks the hierarchies this kernel has. An argument (a class-name regex) runs only those classes.
# ChurnTest makes 500 cgroups here rather than 5,000: under TCG a scan of a few hundred
# cgroups takes seconds, and 5,000 would not fit the stage's 10 minutes.
# A JVM under TCG crashes about once in a hundred starts (an emulation fault, see .ci/vm/README.md): if it leaves
# an hs_err file, run once more.
set -euo pipefail
[ "${VM_GUEST:-}" = 1 ] || { echo "run me through .ci/vm/run-guest.sh, not on the host" >&2; exit 2; }
# the guest has no network, and its loopback starts down; serve's tests talk HTTP over 127.0.0.1
ip link set lo up
only=${1:-} # a class-name regex: only those classes
repo=$PWD
cd "$repo/src-test" # the working directory surefire gives the same tests on the host
cp=target/test-classes:$(cat target/test-classpath.txt)
mkdir -p /tmp/hs
run() {
  java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ErrorFile=/tmp/hs/hs_err_%p.log \
    -Dfixtures.dir="$repo/fixtures" -Dreal.kernel.where="$where" -Dreal.kernel.scratch=/scratch \
    -Dreal.kernel.cgroup="${VM_CGROUP:-v2}" \
    -Dreal.kernel.churn=500 ${only:+-Dreal.kernel.tests="$only"} \
    -cp "$cp" io.cgwatch.live.GuestMain
}
where="qemu guest (TCG)"
[ "${VM_CGROUP:-v2}" = v1 ] && where="qemu guest (TCG, cgroup v1 only)"
echo "guest: $(uname -r), $(nproc) CPUs, cgroup mode ${VM_CGROUP:-v2}: $(cat /sys/fs/cgroup/cgroup.controllers \
  2>/dev/null || grep -w memory /proc/cgroups)"
status=0
run || status=$?
if [ "$status" != 0 ] && compgen -G '/tmp/hs/hs_err_*.log' >/dev/null; then
  echo "guest: the JVM crashed ($(head -c 300 /tmp/hs/hs_err_*.log | grep -m1 'SIGSEGV\|Problematic' || true)); running once more"
  rm -f /tmp/hs/hs_err_*.log
  status=0
  run || status=$?
fi
exit "$status"
