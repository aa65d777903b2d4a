package io.cgwatch.bench;

import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.cgroupfs.SlowTierCarry;
import io.cgwatch.model.HostSnapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Scan time against the C floor on one host root, in the same run: records the files one scan touches, then
 * alternates rounds of warm-JVM scans and rounds of the floor replaying exactly those accesses, so drift on a
 * shared machine hits both alike. Prints one {@code RESULT} line with both medians and their ratio.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.cgwatch.bench.ScanVsFloor HOST_ROOT FLOOR_BINARY [ROUNDS]
 * [SCANS_PER_ROUND] [WARMUP_SECONDS]}
 */
public final class ScanVsFloor {
  private ScanVsFloor() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ScanVsFloor HOST_ROOT FLOOR_BINARY [ROUNDS] [SCANS_PER_ROUND] [WARMUP_SECONDS]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    Path floor = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int perRound = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    double warmupSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 10;
    HostRoots roots = HostRoots.of(root);
    Clock clock = Clock.systemUTC();
    // -Dtiers=fast: the scan serve runs between slow-tier scans (the slow tier carried from a full scan, the carry
    // timed with the scan), against a floor that reads only what that scan reads; default: every tier.
    boolean fastTier = "fast".equals(System.getProperty("tiers", "all"));
    HostSnapshot full = new CgroupScanner(new NioControlFiles()).scan(roots, ScanOptions.DEFAULTS, clock);
    ScanOptions options = fastTier ? ScanOptions.DEFAULTS.withSlowTierCarried(SlowTierCarry.keys(full))
        : ScanOptions.DEFAULTS;

    RecordingControlFiles recorder = new RecordingControlFiles(new NioControlFiles());
    HostSnapshot recorded = new CgroupScanner(recorder).scan(roots, options, clock);
    if (!recorded.scan().errors().isEmpty()) {
      throw new IllegalStateException("the tree has scan errors, fix it first: " + recorded.scan().errors());
    }
    // -Dops.file=F keeps the recorded accesses (to run the floor alone: floor F 10, or under strace/perf).
    String keep = System.getProperty("ops.file");
    Path list = keep != null ? Path.of(keep) : Files.createTempFile("cgwatch-floor-", ".ops");
    try {
      Files.write(list, recorder.records());
      System.out.println("tree " + root + ": " + recorded.scan().cgroupsRead() + " cgroups read; one scan: "
          + recorder.summary());

      // -Dreader=native: the measured scans read through serve's native file access; the recording above stays
      // NIO's (the seam's calls, the same list with either).
      String reader = System.getProperty("reader", "nio");
      System.out.println("reader: " + reader);
      CgroupScanner scanner = new CgroupScanner(BenchFiles.of(reader));
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      int warmups = 0;
      while (System.nanoTime() < warmupEnd || warmups < 3) {
        HostSnapshot s = scanner.scan(roots, options, clock);
        if (fastTier) {
          SlowTierCarry.carry(full, s);
        }
        warmups++;
      }
      List<Long> scanNanos = new ArrayList<>();
      List<Long> floorNanos = new ArrayList<>();
      // CPU time besides wall time: on a machine shared with builds, a wall figure includes the wait for a
      // core, which hits the JVM (more user CPU) harder than the floor; CPU time does not wait.
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long scanCpuNanos = 0;
      long[] floorCpuNanos = new long[1];
      for (int r = 0; r < rounds; r++) {
        long cpu0 = os.getProcessCpuTime();
        for (int i = 0; i < perRound; i++) {
          long t0 = System.nanoTime();
          HostSnapshot s = scanner.scan(roots, options, clock);
          if (fastTier) {
            s = SlowTierCarry.carry(full, s);
          }
          scanNanos.add(System.nanoTime() - t0);
          if (s.cgroups().size() != recorded.cgroups().size()) {
            throw new IllegalStateException("the tree changed during the run");
          }
        }
        scanCpuNanos += os.getProcessCpuTime() - cpu0;
        floorNanos.addAll(runFloor(floor, list, perRound, floorCpuNanos));
      }
      double scanMs = median(scanNanos) / 1e6;
      double floorMs = median(floorNanos) / 1e6;
      long cgroups = recorded.scan().cgroupsRead();
      System.out.printf("RESULT tree=%s tiers=" + (fastTier ? "fast" : "all") + " cgroups=%d scan_median_ms=%.2f floor_median_ms=%.2f ratio=%.2f "
          + "scan_us_per_cgroup=%.2f floor_us_per_cgroup=%.2f warmup_scans=%d samples=%d "
          + "scan_cpu_us_per_cgroup=%.2f floor_cpu_us_per_cgroup=%.2f cpu_ratio=%.2f%n",
          root.getFileName(), cgroups, scanMs, floorMs, scanMs / floorMs, scanMs * 1000 / cgroups,
          floorMs * 1000 / cgroups, warmups, scanNanos.size(),
          scanCpuNanos / 1e3 / scanNanos.size() / cgroups, floorCpuNanos[0] / 1e3 / floorNanos.size() / cgroups,
          (double) scanCpuNanos / floorCpuNanos[0] * floorNanos.size() / scanNanos.size());
    } finally {
      if (keep == null) {
        Files.deleteIfExists(list);
      }
    }
  }

  /** Runs the floor {@code reps} times over the recorded accesses; it prints one nanosecond figure per line. */
  private static List<Long> runFloor(Path floor, Path list, int reps, long[] cpuNanos)
      throws IOException, InterruptedException {
    // Through bash, whose 'times' prints its children's user and system CPU (the floor's) on stderr.
    Process p = new ProcessBuilder("bash", "-c", "\"$0\" \"$@\" && times >&2", floor.toString(), list.toString(),
        Integer.toString(reps)).start();
    List<Long> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(Long.parseLong(line.strip()));
      }
    }
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 || out.size() != reps) {
      throw new IllegalStateException(floor + " failed (exit " + p.exitValue() + "): " + err);
    }
    String[] lines = err.strip().split("\n");
    for (String t : lines[lines.length - 1].strip().split("\\s+")) { // children: "0m1.234s 0m0.567s"
      int m = t.indexOf('m');
      cpuNanos[0] += (long) ((Long.parseLong(t.substring(0, m)) * 60 + Double.parseDouble(t.substring(m + 1,
          t.length() - 1))) * 1e9);
    }
    return out;
  }

  static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
