package io.cgwatch.agent.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.OwnerReport;
import io.cgwatch.model.OwnerRollup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cgroup v1 node with the kubelet's cgroupfs driver ({@code /kubepods/<qos>/pod<uid>/<container id>} in the
 * memory hierarchy), built in a temp dir and scanned twice by the real reader: the container removed between the
 * scans, still holding page cache, is the zombie candidate of its pod (named from {@code /var/log/pods}); an empty
 * one removed too is never named; what v1 cannot place stays unattributed.
 */
class V1CgroupfsNodeOwnersTest {
  static final String UID = OwnerResolverTest.UID;
  static final String POD = "/kubepods/burstable/pod" + UID;
  static final String CTR = POD + "/" + "a1".repeat(32);
  static final String EMPTY_CTR = POD + "/" + "b2".repeat(32);
  static final String LIVE_CTR = POD + "/" + "c3".repeat(32);
  static final long MIB = 1 << 20;

  @Test
  void aRemovedContainersCandidateIsItsPods(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.legacyMemory(tmp).kernel("5.15.0-91-generic");
    Files.createDirectories(tmp.resolve("var/log/pods/shop_cart-7d9f5b6c4-x2k4p_" + UID + "/cart"));
    memcg(t, "/", 8 * MIB, 0);
    memcg(t, "/kubepods", 8 * MIB, 0);
    memcg(t, "/kubepods/burstable", 8 * MIB, 0);
    memcg(t, POD, 8 * MIB, 0);
    memcg(t, CTR, 6 * MIB, 6 * MIB);
    memcg(t, EMPTY_CTR, 0, 0);
    memcg(t, LIVE_CTR, 2 * MIB, 2 * MIB);
    t.procCgroups(procCgroups(7 + 1)); // 7 directories and 1 dying from before
    ManualClock clock = new ManualClock(Instant.parse("2026-12-05T21:00:00Z"));
    Analyzer analyzer = new Analyzer(clock, TrackerSettings.DEFAULTS, Duration.ofHours(1));
    CgroupScanner scanner = new CgroupScanner();
    Analysis first = analyzer.analyze(scanner.scan(HostRoots.of(tmp), ScanOptions.DEFAULTS, clock));
    assertEquals("none", first.owners().dyingAttribution());
    assertEquals(1, first.owners().unattributedDying());

    // both containers removed; the one with page cache stays dying (the kernel keeps its memcg), the empty one
    // is freed at once: num_cgroups 5 directories + 1 old + 1 new dying
    deleteTree(tmp.resolve("sys/fs/cgroup/memory" + CTR));
    deleteTree(tmp.resolve("sys/fs/cgroup/memory" + EMPTY_CTR));
    t.procCgroups(procCgroups(5 + 2));
    clock.advance(Duration.ofSeconds(15));
    OwnerReport r = analyzer.analyze(scanner.scan(HostRoots.of(tmp), ScanOptions.DEFAULTS, clock)).owners();

    assertEquals("candidates", r.dyingAttribution());
    assertEquals(1, r.unattributedDying(), "the one dying before cgwatch watched cannot be placed on v1");
    OwnerRollup pod = r.owners().stream().filter(o -> o.owner().kind().label().equals("pod")).findFirst()
        .orElseThrow(() -> new AssertionError(r.owners()));
    assertEquals("cart-7d9f5b6c4-x2k4p", pod.owner().name());
    assertEquals("shop", pod.owner().namespace().orElseThrow());
    assertEquals("burstable", pod.owner().qos().orElseThrow());
    assertEquals(1, pod.dying());
    assertEquals(1, pod.zombies(), "the container that held page cache, not the empty one");
    assertEquals(6 * MIB, pod.chargesAtDeath().fileBytes().getAsLong());
    assertEquals(List.of("pod"), r.owners().stream().filter(o -> o.dying() > 0)
        .map(o -> o.owner().kind().label()).toList());
  }

  /** v1 files: total_cache is hierarchical; every cgroup here charges only page cache below the pod. */
  private static void memcg(HostTree t, String path, long totalCache, long ownCache) {
    t.cgroupAt("/sys/fs/cgroup/memory", path)
        .file("memory.usage_in_bytes", totalCache + "\n")
        .file("memory.limit_in_bytes", "9223372036854771712\n")
        .file("memory.stat", "cache " + ownCache + "\nrss 0\nmapped_file 0\nshmem 0\ntotal_cache " + totalCache
            + "\ntotal_rss 0\ntotal_mapped_file 0\ntotal_shmem 0\n");
  }

  private static String procCgroups(long memoryCgroups) {
    return "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t5\t" + memoryCgroups + "\t1\n";
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
