#!/usr/bin/env bash
# Smoke run of every benchmark (docs/performance.md) so they cannot rot: builds the -Pbench module, runs each JMH
# benchmark once for one short iteration with the GC profiler on a 1,000-cgroup synthetic tree, and the
# scan-vs-C-floor harness for one round. Measures nothing worth keeping (CI machines are shared); it fails when a
# benchmark throws, the floor cannot replay a scan, or the numbers cannot be produced.
# Cost: about 1.7 minutes on 2 cores (the -Pbench package ~40 s, seven JMH forks ~55 s (the scan with each reader), the harness ~10 s, the
# cold-start harness ~15 s; it installs hyperfine with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cc >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
}

work=$(mktemp -d /tmp/cgwatch-bench-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CGWATCH_BENCH_DIR=$work

mvn -q -B -Dstyle.color=never -Pbench -pl bench -am -DskipTests package
java -jar bench/target/benchmarks.jar -f 1 -wi 0 -i 1 -r 1s -w 1s -p tree=v2-1000 -prof gc -foe true \
  -rf json -rff "$work/jmh.json" 'io.cgwatch.bench.*'
python3 - "$work/jmh.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))
names = {r["benchmark"].rsplit(".", 2)[-2] for r in runs}
missing = {"ScanBenchmark", "RenderBenchmark", "ScrapeBenchmark"} - names
assert not missing, f"benchmarks that produced no result: {missing}"
for r in runs:
    alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score")
    print(f'{r["benchmark"]} {r["params"]}: {r["primaryMetric"]["score"]:.2f} {r["primaryMetric"]["scoreUnit"]}, '
          f'{alloc:.0f} B/op allocated')
PY
ROUNDS=1 SCANS=3 WARMUP=1 bench/run.sh v2-1000
# Cold start: three runs of each row, so the harness, its caches and its table cannot rot.
bench/cold-start.sh 3
