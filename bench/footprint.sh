#!/usr/bin/env bash
# Footprint of `cgwatch serve` as shipped (through the launcher, so with its JVM flags) on a synthetic host root:
# scrapes /metrics every interval as Prometheus would, samples VmRSS (/proc/PID/status) and utime+stime
# (/proc/PID/stat) for DURATION seconds, then prints one FOOTPRINT line. CPU is counted from the end of the first
# minute (JIT warm-up and the first scans are start-up, not the steady cost) to the end.
#
#   bench/footprint.sh TREE PORT [DURATION_S] [INTERVAL]     e.g. bench/footprint.sh /var/tmp/cgwatch-bench/v2-1000 19101 600 15s
# Extra JVM flags for an experiment: JAVA_TOOL_OPTIONS='-Xmx48m' bench/footprint.sh ...
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
tree=${1:?tree}; port=${2:?port}; duration=${3:-600}; interval=${4:-15s}
step=${interval%s}
log=$(mktemp /tmp/cgwatch-footprint.XXXXXX)
"$repo/cgwatch" serve --host-root "$tree" --listen "127.0.0.1:$port" --interval "$interval" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT
# The launcher execs java, so $pid is the JVM.
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
start=$(date +%s.%N)
rss_max=0; rss_samples=(); t_warm=""; c_warm=""
while :; do
  now=$(date +%s.%N)
  elapsed=$(echo "$now - $start" | bc)
  (( $(echo "$elapsed >= $duration" | bc) )) && break
  kill -0 "$pid" 2>/dev/null || { echo "footprint: serve died:" >&2; cat "$log" >&2; exit 1; }
  curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/metrics" || true
  r=$(rss_kb); rss_samples+=("$r"); (( r > rss_max )) && rss_max=$r
  if [[ -z $t_warm ]] && (( $(echo "$elapsed >= 60" | bc) )); then t_warm=$now; c_warm=$(cpu_ticks); fi
  sleep "$step"
done
t_end=$(date +%s.%N); c_end=$(cpu_ticks)
sorted=($(printf '%s\n' "${rss_samples[@]}" | sort -n))
rss_median=${sorted[$(( ${#sorted[@]} / 2 ))]}
cpu_pct=$(echo "scale=3; 100 * ($c_end - $c_warm) / $hz / ($t_end - $t_warm)" | bc)
echo "FOOTPRINT tree=$(basename "$tree") interval=$interval duration_s=$duration rss_max_mb=$((rss_max / 1024)) rss_median_mb=$((rss_median / 1024)) cpu_percent_of_one_core=$cpu_pct cpu_seconds_total=$(echo "scale=2; $c_end / $hz" | bc) flags_extra='${JAVA_TOOL_OPTIONS:-}'"
# A footprint is only worth something if the scans went on: count them from the agent's own metrics.
curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^cgwatch_scan_duration_seconds_count|^cgwatch_up ' || echo "footprint: no metrics at the end" >&2
grep -m1 '"first scan done"' "$log" | cut -c1-300 || true
echo "serve log: $log"
