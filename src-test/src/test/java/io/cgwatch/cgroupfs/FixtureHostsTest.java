package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.model.CgroupMode;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.DyingCount;
import io.cgwatch.model.DyingMethod;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.Limit;
import io.cgwatch.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The scanner on real captured hosts: the numbers a user would read. */
class FixtureHostsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  static HostSnapshot scan(String host) {
    return scan(host, ScanOptions.DEFAULTS);
  }

  static HostSnapshot scan(String host, ScanOptions options) {
    return new CgroupScanner().scan(HostRoots.of(Fixtures.host(host)), options, CLOCK);
  }

  static CgroupSnapshot cgroup(HostSnapshot s, String hierarchy, String path) {
    return s.cgroups().stream().filter(c -> c.hierarchy().equals(hierarchy) && c.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no cgroup " + hierarchy + ":" + path));
  }

  static HierarchySnapshot hierarchy(HostSnapshot s, String name) {
    return s.hierarchies().stream().filter(h -> h.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no hierarchy " + name));
  }

  @Test
  void unifiedHostWithPageCachePinningFiveRemovedGroups() {
    // Debian 6.1 guest: jobs/job-1..4 (8 MiB each) and system.slice/cron.service/run-1.scope removed while
    // their page cache stayed charged.
    HostSnapshot s = scan("unified-6.1-dying");
    assertEquals(CgroupMode.UNIFIED, s.mode());
    assertEquals(Optional.of("6.1.0-50-amd64"), s.host().kernelRelease());
    assertEquals(OptionalInt.of(2), s.host().cpus());
    assertEquals(DyingCount.of(5, DyingMethod.NR_DYING_DESCENDANTS), s.dyingMemoryCgroups(),
        "6.1 has no nr_dying_subsys_memory, so nr_dying_descendants is the best source");
    HierarchySnapshot unified = hierarchy(s, "unified");
    assertEquals(6, unified.liveCgroups());
    assertTrue(unified.controllers().contains("memory"));

    CgroupSnapshot jobs = cgroup(s, "unified", "/jobs");
    assertEquals(OptionalLong.of(4), jobs.nrDyingDescendants());
    assertEquals(OptionalLong.of(1), jobs.nrDescendants());
    assertEquals(OptionalLong.of(32L << 20), jobs.memory().orElseThrow().breakdown().fileBytes(),
        "the four removed jobs' 8 MiB of page cache is still charged to their parent");
    assertEquals(Optional.empty(), jobs.nrDyingSubsys(), "6.1 prints no nr_dying_subsys_* lines");
    assertEquals(Optional.of(true), cgroup(s, "unified", "/jobs/keeper").populated());
    assertEquals(OptionalLong.of(1), cgroup(s, "unified", "/system.slice/cron.service").nrDyingDescendants());
    assertEquals(List.of(), s.scan().errors());
    assertEquals(6, s.scan().cgroupsRead());
  }

  @Test
  void rootCgroupHasNoNonRootFiles() {
    CgroupSnapshot root = cgroup(scan("unified-6.1-dying"), "unified", "/");
    assertEquals(0, root.depth());
    assertEquals(Optional.empty(), root.populated(), "the root has no cgroup.events");
    assertEquals(OptionalLong.empty(), root.memory().orElseThrow().currentBytes(), "the root has no memory.current");
    assertTrue(root.memory().orElseThrow().stat().isPresent(), "the root has memory.stat since 5.8");
    assertTrue(root.pids().isEmpty());
  }

  @Test
  void cleanUnifiedHostHasNoDying() {
    HostSnapshot s = scan("unified-6.1-clean");
    assertEquals(DyingCount.of(0, DyingMethod.NR_DYING_DESCENDANTS), s.dyingMemoryCgroups());
  }

  @Test
  void hybridHostCountsDyingMemcgsFromProcCgroups() {
    // Linux 6.18 hybrid build machine: /proc/cgroups memory num_cgroups 22, six directories.
    HostSnapshot s = scan("hybrid-6.18");
    assertEquals(CgroupMode.HYBRID, s.mode());
    assertEquals(DyingCount.of(16, DyingMethod.PROC_CGROUPS), s.dyingMemoryCgroups());
    HierarchySnapshot memory = hierarchy(s, "memory");
    assertEquals(1, memory.version());
    assertEquals(6, memory.liveCgroups());
    assertEquals(DyingCount.of(0, DyingMethod.NR_DYING_DESCENDANTS), hierarchy(s, "unified").dying());
    assertEquals(List.of("hugetlb"), hierarchy(s, "unified").controllers());
    assertEquals(Optional.of("a named hierarchy has no /proc/cgroups row"),
        hierarchy(s, "name=systemd").dying().unknownReason());
    assertEquals(10, s.hierarchies().size());

    CgroupSnapshot root = cgroup(s, "memory", "/");
    assertEquals(Optional.of(Limit.UNLIMITED), root.memory().orElseThrow().max(),
        "v1 9223372036854771712 means unlimited");
    assertTrue(root.memory().orElseThrow().breakdown().fileBytes().isPresent(), "v1 total_cache is the file figure");
    assertEquals(OptionalLong.empty(), root.nrDyingDescendants(), "v1 has no cgroup.stat");
    assertEquals(7, s.cgroups().size(), "memory (v1) and unified (v2) cgroups are read; other v1 only counted");
  }

  @Test
  void legacyHostWithCoMountedCpuAndCpuacct() {
    HostSnapshot s = scan("legacy-v1");
    assertEquals(CgroupMode.LEGACY, s.mode());
    assertEquals(DyingCount.of(7, DyingMethod.PROC_CGROUPS), s.dyingMemoryCgroups());
    assertEquals(List.of("cpu", "cpuacct"), hierarchy(s, "cpu,cpuacct").controllers());
    assertEquals(DyingCount.of(0, DyingMethod.PROC_CGROUPS), hierarchy(s, "cpu,cpuacct").dying());
    assertEquals(Optional.of(Limit.of(536870912)),
        s.cgroups().stream().map(c -> c.memory().flatMap(m -> m.max())).flatMap(Optional::stream)
            .filter(l -> !l.unlimited()).findFirst());
  }

  @Test
  void maxDepthLimitsWhatIsReadNotWhatIsCounted() {
    HostSnapshot s = scan("unified-6.1-dying", new ScanOptions(1));
    assertTrue(s.cgroups().stream().allMatch(c -> c.depth() <= 1));
    assertEquals(3, s.cgroups().size(), "/, /jobs, /system.slice");
    assertEquals(6, hierarchy(s, "unified").liveCgroups());
    assertEquals(DyingCount.of(5, DyingMethod.NR_DYING_DESCENDANTS), s.dyingMemoryCgroups());
  }

  @Test
  void cgroupIdentityIsTheDirectoryInode() throws Exception {
    HostSnapshot s = scan("unified-6.1-dying");
    long inode = (Long) Files.getAttribute(Fixtures.host("unified-6.1-dying").resolve("sys/fs/cgroup/jobs"),
        "unix:ino", LinkOption.NOFOLLOW_LINKS);
    assertEquals(inode, cgroup(s, "unified", "/jobs").inode());
  }

  @Test
  void snapshotIsSortedAndTimedByTheInjectedClock() {
    HostSnapshot s = scan("unified-6.1-dying");
    assertEquals(List.of("/", "/jobs", "/jobs/keeper", "/system.slice", "/system.slice/cron.service",
        "/system.slice/ssh.service"), s.cgroups().stream().map(CgroupSnapshot::path).toList());
    assertEquals(CLOCK.instant(), s.takenAt());
    assertEquals(Duration.ZERO, s.scan().duration());
  }

  @Test
  void missingHostRootGivesAnEmptySnapshotWithAClearError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    HostSnapshot s = new CgroupScanner().scan(HostRoots.of(tmp), ScanOptions.DEFAULTS, CLOCK);
    assertEquals(CgroupMode.UNAVAILABLE, s.mode());
    assertEquals(1, s.scan().errors().size());
    assertEquals("mountinfo", s.scan().errors().get(0).file());
    assertTrue(s.scan().errors().get(0).message().contains("--host-root"));
  }
}
