#!/usr/bin/env bash
# Scan time against the C floor (docs/performance.md): builds the floor and the benchmark jar, generates the
# synthetic host roots once under $CGWATCH_BENCH_DIR (default /var/tmp/cgwatch-bench, reused across runs: 100k
# cgroups take ~100 s to write, and ext4 stays slow for minutes after removing such a tree), then prints one RESULT
# line per tree with the warm-JVM median scan, the floor's median over the same accesses, and their ratio.
#
#   bench/run.sh [SIZES...]        sizes: v2-1000 v2-10000 v2-100000 v1-1000 v1-10000 v1-100000 (default: all)
#   ROUNDS=5 SCANS=10 WARMUP=10 bench/run.sh v2-10000
#   TIERS=fast bench/run.sh v2-10000   serve's scans between slow-tier scans (default TIERS=all: every file)
#   READER=native bench/run.sh v2-10000  scans through serve's native file access (default READER=nio)
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
dir=${CGWATCH_BENCH_DIR:-/var/tmp/cgwatch-bench}
sizes=("$@")
((${#sizes[@]})) || sizes=(v2-1000 v2-10000 v2-100000 v1-1000 v1-10000 v1-100000)

mkdir -p "$repo/bench/target"
floor="$repo/bench/target/floor"
cc -O2 -Wall -Wextra -o "$floor" "$repo/bench/floor/floor.c"
jar="$repo/bench/target/benchmarks.jar"
if [[ ! -f $jar || -n $(find "$repo"/{cgroupfs-reader,exporters,agent,fixtures,bench}/src -newer "$jar" -print -quit) ]]; then
  mvn -q -B -Dstyle.color=never -f "$repo/pom.xml" -Pbench -pl bench -am -DskipTests package
fi

for size in "${sizes[@]}"; do
  [[ $size =~ ^(v1|v2)-([0-9]+)$ ]] || { echo "bench/run.sh: bad size '$size' (want v2-N or v1-N)" >&2; exit 2; }
  layout=$([[ ${BASH_REMATCH[1]} == v2 ]] && echo unified || echo legacy)
  n=${BASH_REMATCH[2]}
  tree="$dir/$size"
  if [[ ! -e $tree/.done ]]; then
    rm -rf "$tree.tmp"
    mkdir -p "$dir"
    java -cp "$jar" io.cgwatch.fixtures.SyntheticHostMain "$tree.tmp" "$n" "$layout"
    touch "$tree.tmp/.done"
    mv "$tree.tmp" "$tree"
  fi
  # Fewer samples on big trees: a 100k scan takes seconds.
  scans=${SCANS:-$((n >= 100000 ? 3 : n >= 10000 ? 5 : 10))}
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -XX:+UseSerialGC -Dtiers="${TIERS:-all}" -Dreader="${READER:-nio}" -cp "$jar" io.cgwatch.bench.ScanVsFloor "$tree" "$floor" "${ROUNDS:-5}" "$scans" "${WARMUP:-10}"
done
