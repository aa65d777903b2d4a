#!/usr/bin/env python3
"""Writes docs/real-kernel-results.md from the rows the live tests record (io.cgwatch.live.RealKernelResults).

Usage: real-kernel-report.py RESULTS_DIR OUT.md
Each RESULTS_DIR/*.tsv holds one scenario on one hierarchy of one kernel: kernel, where, hierarchy, scenario,
quantity, expected, reported, result. The page groups them by kernel and hierarchy, then by scenario.
"""
import csv
import datetime
import pathlib
import sys

SCENARIOS = ["zombies with page cache", "churn", "recreation", "visible leak", "honest attribution",
             "memcg ID forecast on a burst of mkdir", "memcg ID forecast on one mkdir in serve", "short-lived jobs"]
WHAT = {
    "zombies with page cache": "issue 7 scenarios 1 (v2) and 2 (v1): K = 4 children each charge 16 MiB of page "
    "cache and are removed; `serve` watched them; then the remedy cgwatch advises (v2: sync + `cgwatch reclaim "
    "--execute`; v1: sync + drop_caches)",
    "churn": "scenario 3: 5,000 cgroups (500 in the TCG guest) created and removed in batches of 100 while "
    "`serve` scans every 100 ms; "
    "even batches live across two scans, odd ones are removed at once",
    "recreation": "scenario 4: a cgroup removed and made again at the same path between two scans",
    "visible leak": "scenario 5: empty, childless cgroups idle past a leak threshold lowered to 2 s, beside a "
    "cgroup with a process in it",
    "honest attribution": "issue 17: an empty child and a child with 8 MiB of page cache removed while `serve` "
    "watched; then a job that lives less than one interval (made, charged and removed between two scans): what "
    "polling can and cannot see of it",
    "memcg ID forecast on a burst of mkdir": "issue 17: 100 empty cgroups made between the two scans of "
    "`diagnose --samples 2 --interval 2s`; the forecast needs 15 minutes and 6 samples and a steady rise",
    "memcg ID forecast on one mkdir in serve": "issue 17: one mkdir between `serve` scans must not make "
    "MemcgIdHeadroomLow pending",
    "short-lived jobs": "issue 17, event-driven lifecycle: 20 jobs, each a cgroup made, charged with 8 MiB of page "
    "cache, emptied and removed 0.5 s later, and 3 empty cgroups made and removed, all between two scans of "
    "`serve` with its inotify watcher; v2: removals still dying attributed to their former paths, page cache at "
    "death read at `populated 0`; v1: births and removals counted, no empty cgroup named",
}


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def main(results_dir, out):
    rows = []
    for tsv in sorted(pathlib.Path(results_dir).glob("*.tsv")):
        with open(tsv, newline="", encoding="utf-8") as f:
            rows.extend(csv.DictReader(f, delimiter="\t"))
    if not rows:
        sys.exit(f"real-kernel-report: no results under {results_dir}")
    failed = sum(1 for r in rows if r["result"] == "FAIL")
    checked = sum(1 for r in rows if r["result"] in ("pass", "FAIL"))
    kernels = []
    for r in rows:
        key = (r["kernel"], r["where"], r["hierarchy"])
        if key not in kernels:
            kernels.append(key)
    lines = [
        "# What cgwatch was shown to report on real kernels",
        "",
        "Written by `.ci/real-kernel.sh` (`python3 .ci/real-kernel-report.py`) from the rows the live tests record "
        "(`src-test/src/test/java/io/cgwatch/live/`): each row is a number cgwatch reported through its own outputs "
        "(`/metrics`, `/api/v1/snapshot`, `diagnose --json`, `reclaim --execute --json`), next to what the test did "
        "to the kernel. The build machine's rows come from `mvn verify`, the guests' from the three qemu guests of "
        "`.ci/real-kernel.sh` (Debian 6.1 and 6.12 with cgroup v2, Debian 6.1 with only v1 memory). Regenerate: "
        "`mvn -B verify && .ci/real-kernel.sh`.",
        "",
        f"Generated {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}: "
        f"{checked} checks, {failed} failed; rows marked `noted` are figures recorded without a bound.",
        "",
    ]
    for kernel, where, hierarchy in kernels:
        lines += [f"## Linux {kernel}, {where}: {hierarchy}", ""]
        mine = [r for r in rows if (r["kernel"], r["where"], r["hierarchy"]) == (kernel, where, hierarchy)]
        order = SCENARIOS + sorted({r["scenario"] for r in mine} - set(SCENARIOS))
        for scenario in order:
            these = [r for r in mine if r["scenario"] == scenario]
            if not these:
                continue
            lines += [f"### {scenario}", ""]
            if scenario in WHAT:
                lines += [WHAT[scenario] + ".", ""]
            lines += ["| quantity | expected | cgwatch reported | result |", "|---|---|---|---|"]
            for r in these:
                lines.append(f"| {cell(r['quantity'])} | {cell(r['expected'])} | {cell(r['reported'])} | "
                             f"{r['result']} |")
            lines.append("")
    pathlib.Path(out).write_text("\n".join(lines), encoding="utf-8")
    print(f"real-kernel-report: {out}: {len(kernels)} kernel/hierarchy pairs, {checked} checks, {failed} failed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
