package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounds against hostile trees, each visible as {@code cgwatch_scan_limit_reached{limit=...}} and as a scan
 * error of its kind: cgroups per scan, walk depth, bytes per file, series exported. A tree of 100,000 empty
 * cgroups and a 10,000-deep chain (far beyond PATH_MAX) leave serve up with a bounded heap.
 */
class BoundsTest {
  static final int WIDE = 100_000;
  static final int DEEP = 10_000;
  /** Heap a scan of the 100,000-cgroup tree may keep (measured about 60 MB; see docs/reliability.md). */
  static final long WIDE_HEAP_BOUND_BYTES = 400L << 20;

  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double limit(String exposition, String which) {
    return Reliability.parseExposition(exposition).stream()
        .filter(s -> s.name().equals("cgwatch_scan_limit_reached") && which.equals(s.labels().get("limit")))
        .mapToDouble(s -> Double.parseDouble(s.value())).findFirst()
        .orElseThrow(() -> new AssertionError("no cgwatch_scan_limit_reached{limit=" + which + "}"));
  }

  @Test
  void aHundredThousandEmptyCgroupsServeWithBoundedHeapAndTheCapsShow(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants " + WIDE + "\nnr_dying_descendants 0\n");
    Path cg = tmp.resolve("sys/fs/cgroup");
    for (int i = 0; i < WIDE / 1000; i++) {
      Path parent = Files.createDirectory(cg.resolve("p" + i));
      for (int j = 0; j < 1000; j++) {
        Files.createDirectory(parent.resolve("c" + j));
      }
    }
    long before = usedHeapAfterGc();
    HostSnapshot s = new CgroupScanner().scan(HostRoots.of(tmp), ScanOptions.DEFAULTS, Clock.systemUTC());
    long retained = usedHeapAfterGc() - before;
    assertEquals(WIDE + WIDE / 1000 + 1, s.scan().cgroupsRead());
    System.out.println("BOUNDS wide: " + s.scan().cgroupsRead() + " cgroups scanned in " + s.scan().duration()
        + ", snapshot retains " + (retained >> 20) + " MiB of heap");
    assertTrue(retained < WIDE_HEAP_BOUND_BYTES, "snapshot of 100,000 cgroups retains " + (retained >> 20) + " MiB");

    HostSnapshot capped = new CgroupScanner().scan(HostRoots.of(tmp),
        ScanOptions.DEFAULTS.withBounds(10_000, ScanOptions.DEFAULT_MAX_WALK_DEPTH), Clock.systemUTC());
    assertEquals(10_000, capped.scan().cgroupsRead(), "the walk stops at the bound");
    assertEquals(1, capped.scan().errors().stream().filter(e -> e.kind() == ScanError.Kind.LIMIT_CGROUPS).count());
    s = null;
    capped = null;

    // serve on the whole tree: up, scrapes answered, only --max-cgroups (2,000) cgroups get series.
    try (Serve serve = Reliability.start(Reliability.settings(HostRoots.of(tmp), Duration.ofHours(1)),
        new ByteArrayOutputStream())) {
      Reliability.awaitReady(serve);
      String body = Reliability.get(serve.port(), "/metrics").body();
      assertTrue(body.contains("cgwatch_up 1.0"));
      assertEquals(1.0, limit(body, "series"), "the series cap was hit");
      assertEquals(0.0, limit(body, "cgroups"));
      long labelled = Reliability.parseExposition(body).stream().map(x -> x.labels().get("cgroup"))
          .filter(java.util.Objects::nonNull).distinct().count();
      assertTrue(labelled <= 2000, "per-cgroup series are capped at 2,000 cgroups: " + labelled);
      Reliability.promtoolClean("100,000-cgroup tree", body);
      long heapWithServe = usedHeapAfterGc() - before;
      System.out.println("BOUNDS wide: serve up, exposition " + body.length() + " bytes, heap in use "
          + (heapWithServe >> 20) + " MiB above the start");
      assertTrue(heapWithServe < WIDE_HEAP_BOUND_BYTES, "serve on 100,000 cgroups holds " + (heapWithServe >> 20)
          + " MiB");
    }
  }

  @Test
  void aTenThousandDeepChainIsWalkedTo256LevelsAndSaysSo(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants " + DEEP + "\nnr_dying_descendants 0\n");
    Path cg = tmp.resolve("sys/fs/cgroup");
    Path script = Files.createTempFile(tmp, "deep_chain", ".py");
    Files.write(script, BoundsTest.class.getResourceAsStream("/reliability/deep_chain.py").readAllBytes());
    Reliability.Run r = Reliability.run(List.of("python3", script.toString(), cg.toString(),
        Integer.toString(DEEP), "d"), null, null, Duration.ofSeconds(120));
    assertEquals(0, r.exit(), r.err());
    try {
      long before = usedHeapAfterGc();
      HostSnapshot s = new CgroupScanner().scan(HostRoots.of(tmp), ScanOptions.DEFAULTS, Clock.systemUTC());
      long retained = usedHeapAfterGc() - before;
      assertEquals(ScanOptions.DEFAULT_MAX_WALK_DEPTH + 1, s.scan().cgroupsRead(), "root plus 256 levels");
      List<ScanError> depth = s.scan().errors().stream().filter(e -> e.kind() == ScanError.Kind.LIMIT_DEPTH)
          .toList();
      assertEquals(1, depth.size(), "one finding for the chain, not one per level: " + s.scan().errors());
      assertEquals(1, s.scan().errors().size(), "nothing else went wrong: " + s.scan().errors());
      System.out.println("BOUNDS deep: " + DEEP + "-deep chain, " + s.scan().cgroupsRead() + " walked, "
          + (retained >> 10) + " KiB retained");
      assertTrue(retained < 64L << 20, "retained " + (retained >> 20) + " MiB");
      ServeSettings settings = Reliability.settings(HostRoots.of(tmp), Duration.ofHours(1));
      try (Serve serve = Reliability.start(settings, new ByteArrayOutputStream())) {
        Reliability.awaitReady(serve);
        String body = Reliability.get(serve.port(), "/metrics").body();
        assertEquals(1.0, limit(body, "depth"));
        assertEquals(0.0, limit(body, "file_bytes"));
        Reliability.promtoolClean("10,000-deep chain", body);
      }
    } finally {
      // GNU rm walks with openat, so it removes a chain no single path can name; @TempDir could not.
      Reliability.Run rm = Reliability.run(List.of("rm", "-rf", cg.resolve("d").toString()), null, null,
          Duration.ofSeconds(120));
      assertEquals(0, rm.exit(), rm.err());
    }
  }

  @Test
  void aFileOverTheReadCapIsOneLimitErrorAndTheScanGoesOn(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 1\nnr_dying_descendants 0\n");
    t.cgroup("/big").file("memory.stat", "anon 1\n".repeat(NioControlFiles.MAX_FILE_BYTES / 7 + 2))
        .file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n");
    HostSnapshot s = new CgroupScanner().scan(HostRoots.of(tmp), ScanOptions.DEFAULTS, Clock.systemUTC());
    assertEquals(List.of(new ScanError("/sys/fs/cgroup/big", "memory.stat", ScanError.Kind.LIMIT_FILE_BYTES,
        "larger than 1048576 bytes, not a kernel control file")), s.scan().errors());
    assertEquals(2, s.scan().cgroupsRead());
    try (Serve serve = Reliability.start(Reliability.settings(HostRoots.of(tmp), Duration.ofHours(1)),
        new ByteArrayOutputStream())) {
      Reliability.awaitReady(serve);
      String body = Reliability.get(serve.port(), "/metrics").body();
      assertEquals(1.0, limit(body, "file_bytes"));
      assertTrue(body.contains("cgwatch_scan_errors_total{file=\"memory.stat\",kind=\"limit_file_bytes\",} 1.0"),
          body);
    }
  }
}
