package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.fixtures.HostTree;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: {@code serve} in-process scanning a small tree that churns (jobs removed and recreated with new inodes,
 * charges moving, dying counts rising and falling) as fast as it can, on a clock that moves ten minutes per scan
 * so tombstones (24 h) and the ID trend (1 h) reach their steady state. After a warm-up, heap after GC, thread
 * count and open file descriptors must stay flat. {@code reliability.soak.scans} scans: 1,200 in the build,
 * 100,000 with {@code -Preliability-soak}.
 */
class SoakTest {
  static final int SCANS = Integer.getInteger("reliability.soak.scans", 1_200);
  /** 24 h of tombstones at ten minutes per scan (144 scans), plus margin. */
  static final int WARM_UP = 400;
  static final int JOBS = 20;
  static final Duration PER_SCAN = Duration.ofMinutes(10);

  @Test
  void heapThreadsAndFdsStayFlatOverManyScansOfAChurningTree(@TempDir Path tmp) throws Exception {
    assertTrue(SCANS > WARM_UP * 2, "reliability.soak.scans must exceed " + WARM_UP * 2);
    HostTree t = HostTree.unified(tmp).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 21\nnr_dying_descendants 0\n")
        .file("cgroup.controllers", "memory pids\n").file("cgroup.subtree_control", "memory pids\n");
    t.cgroup("/jobs").file("cgroup.stat", "nr_descendants 20\nnr_dying_descendants 0\n")
        .file("cgroup.controllers", "memory pids\n").file("cgroup.subtree_control", "memory\n")
        .file("memory.current", "1000000\n").file("memory.stat", "file 100\nanon 100\n");
    for (int j = 0; j < JOBS; j++) {
      job(t, j, 0);
    }
    ManualClock clock = new ManualClock(Instant.parse("2026-11-25T00:00:00Z"));
    OutputStream discard = OutputStream.nullOutputStream();
    try (Serve serve = Serve.start(Reliability.settings(HostRoots.of(tmp), Duration.ofSeconds(15)), clock,
        "soak", new JsonLog(new PrintStream(discard, true, StandardCharsets.UTF_8), clock), false)) {
      long heap0 = 0;
      int threads0 = 0;
      int fds0 = 0;
      for (int i = 1; i <= SCANS; i++) {
        churn(t, tmp, i);
        clock.advance(PER_SCAN);
        serve.pollNow();
        // A scrape every 250 scans, the first before the baseline: its keep-alive connection (one fd at each end)
        // is then part of the baseline and reused after it.
        if (i % 250 == 0) {
          assertEquals(200, Reliability.get(serve.port(), "/metrics").statusCode());
        }
        if (i == WARM_UP) {
          // The fixed HTTP pool makes its 4 threads lazily, one per request until all exist: fill it first.
          for (int k = 0; k < 8; k++) {
            assertEquals(200, Reliability.get(serve.port(), "/metrics").statusCode());
          }
          heap0 = BoundsTest.usedHeapAfterGc();
          threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
          fds0 = fds();
        }
      }
      String body = Reliability.get(serve.port(), "/metrics").body();
      long heap1 = BoundsTest.usedHeapAfterGc();
      int threads1 = ManagementFactory.getThreadMXBean().getThreadCount();
      int fds1 = fds();
      double growth = (heap1 - heap0) / (double) heap0;
      System.out.printf("SOAK %d scans (warm-up %d): heap after GC %d KiB -> %d KiB (%+.1f%%), threads %d -> %d,"
          + " fds %d -> %d%n", SCANS, WARM_UP, heap0 >> 10, heap1 >> 10, growth * 100, threads0, threads1, fds0,
          fds1);
      assertTrue(body.contains("cgwatch_up 1.0"), "still scanning successfully");
      assertTrue(Math.abs(growth) <= 0.05, "heap after GC flat within 5%: " + heap0 + " -> " + heap1);
      assertTrue(threads1 <= threads0, "no thread growth: " + threads0 + " -> " + threads1);
      assertTrue(fds1 <= fds0, "no file descriptor growth: " + fds0 + " -> " + fds1);
    }
  }

  private static void job(HostTree t, int j, int generation) {
    t.cgroup("/jobs/job-" + j).file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n")
        .file("memory.current", (4096L * (generation % 97)) + "\n")
        .file("memory.stat", "file " + (4096L * (generation % 89)) + "\nanon 4096\n")
        .file("cgroup.events", "populated " + (generation % 2) + "\nfrozen 0\n");
  }

  /** Each scan one job is removed and made again (a new inode), and the dying counts move. */
  private static void churn(HostTree t, Path root, int i) throws IOException {
    int j = i % JOBS;
    Path dir = root.resolve("sys/fs/cgroup/jobs/job-" + j);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
    job(t, j, i);
    int dying = i % 7;
    t.cgroup("/jobs").file("cgroup.stat", "nr_descendants 20\nnr_dying_descendants " + dying + "\n");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 21\nnr_dying_descendants " + dying + "\n");
  }

  static int fds() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return (int) s.count();
    }
  }

}
