#!/usr/bin/env bash
# Cold start of `cgwatch diagnose` on the live host (issue 16: <= 0.4 s wall), against `systemd-cgtop -b -n 1`, in one
# run: hyperfine wall time (mean, sigma, min; user+sys as hyperfine sees it) and perf stat CPU time (task-clock of
# every thread, less load-sensitive than wall), with the load average before and after. Rows: the launcher as it
# runs (Java 25 + AOT cache when such a JDK is there, see ./cgwatch), the launcher held to Java 17 + CDS
# (CGWATCH_AOT=0), and systemd-cgtop. Each cgwatch run is a new JVM; caches are trained before measuring.
# Usage: bench/cold-start.sh [RUNS]   (default 20; installs hyperfine with apt-get when missing and run as root)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
export LC_ALL=C.UTF-8

if ! command -v hyperfine >/dev/null; then
  [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null \
    || { echo "cold-start.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 3; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends hyperfine >&2
fi
command -v systemd-cgtop >/dev/null || { echo "cold-start.sh: systemd-cgtop is missing (package systemd)" >&2; exit 3; }

# Build the jar if needed and train both caches, so no measured run pays for training.
CGWATCH_AOT=0 ./cgwatch --version >/dev/null
CGWATCH_LAUNCHER_DEBUG=1 ./cgwatch --version 2>&1 >/dev/null | sed 's/^/launcher as run: /'
java -version 2>&1 | head -1 | sed 's/^/java on PATH: /'

names=('./cgwatch diagnose' 'CGWATCH_AOT=0 ./cgwatch diagnose (Java 17 + CDS)' 'systemd-cgtop -b -n 1')
cmds=('./cgwatch diagnose' 'env CGWATCH_AOT=0 ./cgwatch diagnose' 'systemd-cgtop -b -n 1')
json=$(mktemp)
trap 'rm -f "$json" "$json.perf"' EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# diagnose exits 1 or 2 when an alert fires on this host: an answer, not a failure (-i).
hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$json" "${cmds[@]}" >/dev/null 2>&1
cpu=()
for c in "${cmds[@]}"; do
  if command -v perf >/dev/null && perf stat -x, -e task-clock -r "$runs" -o "$json.perf" $c >/dev/null 2>&1; then
    cpu+=("$(awk -F, '/task-clock/ {printf "%.0f ms", $1}' "$json.perf")")
  else
    cpu+=("n/a (no perf)")
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "cold start, $runs runs each, $(nproc) CPUs, $(date -u +%FT%TZ); load average before: $load_before, after: $load_after"
python3 - "$json" "${names[@]}" -- "${cpu[@]}" <<'EOF'
import json, sys
args = sys.argv[2:]
sep = args.index("--")
names, cpu = args[:sep], args[sep + 1:]
results = json.load(open(sys.argv[1]))["results"]
print(f"{'command':<50} {'wall mean ± σ':>18} {'min':>9} {'user+sys':>9} {'CPU (perf)':>11}")
for name, r, c in zip(names, results, cpu):
    print(f"{name:<50} {r['mean']*1000:>9.1f} ± {r['stddev']*1000:>5.1f} ms {r['min']*1000:>6.1f} ms "
          f"{(r['user'] + r['system'])*1000:>6.0f} ms {c:>11}")
target = results[0]["mean"]
print(f"target <= 400 ms wall (mean): {'met' if target <= 0.4 else 'missed'} ({target*1000:.0f} ms); "
      f"{target / results[2]['mean']:.0f}x systemd-cgtop")
EOF
