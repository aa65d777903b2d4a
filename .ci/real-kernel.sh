#!/usr/bin/env bash
# The real-kernel stage of CI (issue 7). The build machine's own kernel (cgroup v1 memory, cgroup2 without memory)
# already ran the live tests inside `mvn verify`; this stage runs the same tests in a qemu guest with a cgroup v2
# memory controller (Debian 6.1 under TCG: about 10 s to boot, the tests a few minutes), then writes every scenario's
# numbers from both kernels to docs/real-kernel-results.md. Needs the build (src-test/target/test-classes and
# test-classpath.txt, both made by `mvn verify`). Installs qemu-system-x86 through run-guest.sh when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f src-test/target/test-classpath.txt ]] || { echo "real-kernel: run mvn verify first" >&2; exit 2; }

if ! command -v ip >/dev/null; then # the guest brings its loopback up with the host's iproute2
  DEBIAN_FRONTEND=noninteractive apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends iproute2
fi
# The kernel the fixtures came from; pinned so that a new Debian kernel does not change the results silently.
export VM_KERNEL_PKG=${VM_KERNEL_PKG:-linux-image-6.1.0-50-amd64}
export VM_TIMEOUT=${VM_TIMEOUT:-900}
export VM_SCRATCH_MB=${VM_SCRATCH_MB:-512}
started=$SECONDS
status=0
.ci/vm/run-guest.sh .ci/guest/live-tests.sh || status=$?
echo "real-kernel: guest finished with status $status after $((SECONDS - started)) s"

python3 .ci/real-kernel-report.py src-test/target/real-kernel-results docs/real-kernel-results.md
if [[ $status != 0 ]]; then
  grep -h $'\tFAIL$' src-test/target/real-kernel-results/*.tsv || true
  exit "$status"
fi
