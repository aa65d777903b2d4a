package io.cgwatch.agent.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.HostOrphaned;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.MemcgIds;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.VisibleLeak;
import io.cgwatch.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orphaned memory, memcg IDs and visible leaks on trees with known answers. */
class EstimatorsTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final long MIB = 1 << 20;

  private static HostSnapshot scan(Path root) {
    return scan(root, ScanOptions.DEFAULTS);
  }

  private static HostSnapshot scan(Path root, ScanOptions options) {
    return new CgroupScanner().scan(HostRoots.of(root), options, CLOCK);
  }

  private static Optional<OrphanedMemory> at(List<OrphanedMemory> all, String path) {
    return all.stream().filter(o -> o.path().equals(path)).findFirst();
  }

  @Test
  void v2PageCacheLeftByRemovedJobsIsExactOnTheRealCapture() {
    List<OrphanedMemory> o = OrphanedMemoryEstimator.estimate(scan(Fixtures.host("unified-6.1-dying")));
    assertEquals(OptionalLong.of(32 * MIB), at(o, "/jobs").orElseThrow().bytes().fileBytes(), "4 jobs x 8 MiB");
    assertEquals(OptionalLong.of(4 * MIB), at(o, "/system.slice/cron.service").orElseThrow().bytes().fileBytes());
    assertTrue(at(o, "/").isEmpty(), "never the root: it holds processes and has no memory.current");
    assertEquals(OrphanedMemory.Method.PARENT_MINUS_LIVE_CHILDREN, at(o, "/jobs").get().method());
  }

  @Test
  void v1SubtractsTheParentsOwnChargesToo() {
    List<OrphanedMemory> o = OrphanedMemoryEstimator.estimate(scan(Fixtures.host("legacy-v1")));
    OrphanedMemory slice = at(o, "/system.slice").orElseThrow();
    assertEquals(OptionalLong.of(52912128), slice.bytes().fileBytes(), "total_cache - cache - children's total_cache");
    assertEquals(OptionalLong.empty(), slice.bytes().usageBytes(), "v1 has no local usage to subtract");
    assertEquals(OrphanedMemory.Method.TOTAL_MINUS_LOCAL_MINUS_LIVE_CHILDREN, slice.method());
  }

  @Test
  void racingReadsThatGoNegativeAreClampedAndCounted(@TempDir Path tmp) {
    HostTree t = HostTree.unified(tmp);
    t.cgroup("/p").file("cgroup.subtree_control", "memory\n").file("memory.current", "1000\n")
        .file("memory.stat", "file 500\nanon 100\n");
    t.cgroup("/p/c").file("memory.current", "1200\n").file("memory.stat", "file 400\nanon 50\n");
    OrphanedMemory p = at(OrphanedMemoryEstimator.estimate(scan(tmp)), "/p").orElseThrow();
    assertEquals(OptionalLong.of(0), p.bytes().usageBytes(), "1000 - 1200 is reported as 0");
    assertEquals(OptionalLong.of(100), p.bytes().fileBytes());
    assertEquals(OptionalLong.of(50), p.bytes().anonBytes());
    assertEquals(1, p.clampedNegatives());
  }

  @Test
  void noEstimateWhenAChildWasNotRead(@TempDir Path tmp) {
    HostTree t = HostTree.unified(tmp);
    t.cgroup("/p").file("cgroup.subtree_control", "memory\n").file("memory.current", "1000\n");
    t.cgroup("/p/c").file("memory.current", "200\n");
    assertTrue(at(OrphanedMemoryEstimator.estimate(scan(tmp, new ScanOptions(1))), "/p").isEmpty(),
        "with /p/c beyond --max-depth its charges would look orphaned");
    assertTrue(at(OrphanedMemoryEstimator.estimate(scan(tmp)), "/p").isPresent());
  }

  @Test
  void noEstimateWithoutMemoryInSubtreeControl(@TempDir Path tmp) {
    HostTree t = HostTree.unified(tmp);
    t.cgroup("/p").file("cgroup.subtree_control", "pids\n").file("memory.current", "1000\n");
    assertTrue(OrphanedMemoryEstimator.estimate(scan(tmp)).isEmpty());
  }

  @Test
  void hostFiguresSumEveryParentAndPriceTheDyingMemcgs() {
    HostSnapshot s = scan(Fixtures.host("unified-6.1-dying"));
    HostOrphaned h = OrphanedMemoryEstimator.host(OrphanedMemoryEstimator.estimate(s),
        StillDyingEstimator.estimate(s, MemcgIdEstimator.estimate(s)).cost().dyingBytes());
    assertEquals(OptionalLong.of(36 * MIB), h.bytes().fileBytes());
    assertEquals(OptionalLong.of(5 * (2048 * 2 + 10240)), h.dyingKernelMemoryBytes(), "5 dying on 2 CPUs");
  }

  @Test
  void memcgIdsFromNrSubsysMemoryWhenTheKernelPrintsIt() {
    MemcgIds ids = MemcgIdEstimator.estimate(scan(Fixtures.host("edge-subsys-6.12"))).orElseThrow();
    assertEquals("nr_subsys_memory", ids.source());
    assertEquals("live", ids.rule());
    assertEquals(65535, ids.limit());
  }

  @Test
  void memcgIdsCountMemoryDirectoriesOnSixOne() {
    MemcgIds ids = MemcgIdEstimator.estimate(scan(Fixtures.host("unified-6.1-dying"))).orElseThrow();
    assertEquals(6, ids.inUse());
    assertEquals("memory_directories", ids.source());
  }

  @Test
  void memcgIdsOnV1AndTheOlderLimit() {
    MemcgIds ids = MemcgIdEstimator.estimate(scan(Fixtures.host("legacy-v1"))).orElseThrow();
    assertEquals(4, ids.inUse());
    assertEquals(65534, ids.limit(), "5.15's allocator never hands out 65535");
  }

  @Test
  void oldKernelsCountDyingMemcgsAgainstTheLimit(@TempDir Path tmp) {
    HostTree t = HostTree.legacyMemory(tmp).kernel("3.10.0-1160.el7.x86_64")
        .procCgroups("#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t40002\t1\n");
    t.cgroupAt("/sys/fs/cgroup/memory", "/a").file("memory.usage_in_bytes", "0\n");
    MemcgIds ids = MemcgIdEstimator.estimate(scan(tmp)).orElseThrow();
    assertEquals("live_and_dying", ids.rule());
    assertEquals(40002, ids.inUse(), "2 live + 40000 dying");
  }

  @Test
  void noMemcgIdsWithoutAMemoryController() {
    assertTrue(MemcgIdEstimator.estimate(scan(Fixtures.host("edge-partial-view"))).isPresent());
    HostSnapshot hybridWithoutMemory = scan(Fixtures.host("hybrid-6.18"));
    assertEquals("memory_directories", MemcgIdEstimator.estimate(hybridWithoutMemory).orElseThrow().source());
  }

  @Test
  void idleEmptyChildlessCgroupsAreVisibleLeaks(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp);
    Path old = t.cgroup("/run-old.scope").file("cgroup.events", "populated 0\nfrozen 0\n")
        .file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n").dir();
    Path fresh = t.cgroup("/run-new.scope").file("cgroup.events", "populated 0\nfrozen 0\n").dir();
    Path busy = t.cgroup("/busy.service").file("cgroup.events", "populated 1\nfrozen 0\n").dir();
    Path parent = t.cgroup("/parent.slice").file("cgroup.events", "populated 0\nfrozen 0\n").dir();
    t.cgroup("/parent.slice/child").file("cgroup.events", "populated 0\nfrozen 0\n");
    for (Path p : List.of(old, busy, parent, parent.resolve("child"))) {
      age(p, Duration.ofHours(3));
    }
    age(fresh, Duration.ofMinutes(5));
    List<VisibleLeak> leaks = VisibleLeakDetector.detect(scan(tmp), Duration.ofHours(1));
    assertEquals(List.of("/parent.slice/child", "/run-old.scope"), leaks.stream().map(VisibleLeak::path).sorted()
        .toList());
    assertEquals(Duration.ofHours(3), leaks.get(0).idle());
  }

  @Test
  void diagnoseListsVisibleLeaksPerParent(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp);
    for (String name : List.of("run-1.scope", "run-2.scope")) {
      age(t.cgroup("/system.slice/" + name).file("cgroup.events", "populated 0\nfrozen 0\n").dir(),
          Duration.ofDays(2));
    }
    io.cgwatch.agent.cli.CliRunner.Result r = io.cgwatch.agent.cli.CliRunner.run("diagnose", "--host-root",
        tmp.toString());
    assertTrue(r.out().contains("remove them with rmdir): 2"), r.out());
    assertTrue(r.out().contains("per parent: unified:/system.slice 2"), r.out());
    assertTrue(r.out().contains("2.0d  unified    /system.slice/run-1.scope"), r.out());
  }

  @Test
  void aRecentAttachKeepsACgroupFromBeingALeak(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp);
    Path dir = t.cgroup("/job.scope").file("cgroup.events", "populated 0\nfrozen 0\n").dir();
    age(dir, Duration.ofHours(5));
    Files.setLastModifiedTime(dir.resolve("cgroup.procs"), FileTime.from(NOW.minus(Duration.ofMinutes(2))));
    assertEquals(List.of(), VisibleLeakDetector.detect(scan(tmp), Duration.ofHours(1)));
  }

  @Test
  void v1LeafWithNoProcessesIsALeak(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.legacyMemory(tmp);
    Path empty = t.cgroupAt("/sys/fs/cgroup/memory", "/empty").dir();
    Path used = t.cgroupAt("/sys/fs/cgroup/memory", "/used").file("cgroup.procs", "4242\n").dir();
    age(empty, Duration.ofHours(2));
    age(used, Duration.ofHours(2));
    assertEquals(List.of("/empty"), VisibleLeakDetector.detect(scan(tmp), Duration.ofHours(1)).stream()
        .map(VisibleLeak::path).toList());
  }

  private static void age(Path dir, Duration by) throws Exception {
    FileTime t = FileTime.from(NOW.minus(by));
    Files.setLastModifiedTime(dir.resolve("cgroup.procs"), t);
    Files.setLastModifiedTime(dir, t);
  }
}
