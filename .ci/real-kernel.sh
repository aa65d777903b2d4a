#!/usr/bin/env bash
# The real-kernel stage of CI (issues 7 and 17). The build machine's own kernel (cgroup v1 memory, cgroup2 without
# memory) already ran the live tests inside `mvn verify`; this stage runs the same tests in three qemu guests:
# Debian 6.1 with cgroup v2 (the kernel of the fixtures), Debian 6.12 with cgroup v2 (nr_dying_subsys_memory), and
# Debian 6.1 with only the v1 memory controller (VM_CGROUP=v1; Debian 6.12 has no CONFIG_MEMCG_V1). Then it writes
# every scenario's numbers from all four to docs/real-kernel-results.md. Needs the build
# (src-test/target/test-classes and test-classpath.txt, both made by `mvn verify`). Installs qemu-system-x86
# through run-guest.sh when missing, and zstd (to unpack 6.12's kernel image) here.
# REAL_KERNEL_GUESTS picks guests by name (default: all three), e.g. REAL_KERNEL_GUESTS="6.12-v2";
# REAL_KERNEL_TESTS a class-name regex to run only some scenarios (then do not commit the page it writes).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f src-test/target/test-classpath.txt ]] || { echo "real-kernel: run mvn verify first" >&2; exit 2; }

missing=()
command -v ip >/dev/null || missing+=(iproute2) # the guest brings its loopback up with the host's iproute2
command -v zstd >/dev/null || missing+=(zstd)   # Debian 6.12's bzImage payload is zstd
if (( ${#missing[@]} )); then
  DEBIAN_FRONTEND=noninteractive apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
# Pinned kernels, so that a new Debian kernel does not change the results silently.
K61=${K61:-linux-image-6.1.0-50-amd64}          # the kernel the 6.1 fixtures came from
K612=${K612:-linux-image-6.12.118+deb12-amd64}  # has nr_dying_subsys_memory (6.11+)
export VM_TIMEOUT=${VM_TIMEOUT:-900}
export VM_SCRATCH_MB=${VM_SCRATCH_MB:-512}
guests=${REAL_KERNEL_GUESTS:-"6.1-v2 6.12-v2 6.1-v1"}
started=$SECONDS
status=0
for g in $guests; do
  case $g in
    6.1-v2) pkg=$K61 mode=v2 ;;
    6.12-v2) pkg=$K612 mode=v2 ;;
    6.1-v1) pkg=$K61 mode=v1 ;;
    *) echo "real-kernel: unknown guest $g (6.1-v2, 6.12-v2, 6.1-v1)" >&2; exit 2 ;;
  esac
  t=$SECONDS
  s=0
  VM_KERNEL_PKG=$pkg VM_CGROUP=$mode .ci/vm/run-guest.sh .ci/guest/live-tests.sh ${REAL_KERNEL_TESTS:+"$REAL_KERNEL_TESTS"} \
    || s=$?
  echo "real-kernel: guest $g ($pkg, cgroup $mode) finished with status $s after $((SECONDS - t)) s"
  (( s == 0 )) || status=$s
done
echo "real-kernel: all guests done after $((SECONDS - started)) s"

python3 .ci/real-kernel-report.py src-test/target/real-kernel-results docs/real-kernel-results.md
if [[ $status != 0 ]]; then
  grep -h $'\tFAIL$' src-test/target/real-kernel-results/*.tsv || true
  exit "$status"
fi
