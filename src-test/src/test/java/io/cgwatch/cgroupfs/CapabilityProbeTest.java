package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.Capabilities;
import io.cgwatch.model.Capabilities.Decision;
import io.cgwatch.model.KernelVersion;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilityProbeTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  private static Capabilities probe(Path root) {
    return new CgroupScanner().scan(HostRoots.of(root), ScanOptions.DEFAULTS, CLOCK).capabilities();
  }

  @Test
  void sixTwelveHasNrDyingSubsys() {
    Capabilities c = probe(Fixtures.host("edge-subsys-6.12"));
    assertTrue(c.nrDyingSubsys());
    assertEquals(Optional.of(new KernelVersion(6, 12, 48)), c.kernel());
    assertEquals(Optional.of(false), c.reparentsPageCache());
  }

  @Test
  void fourNineteenHasNoPsiPeakOrLocalEvents() {
    Capabilities c = probe(Fixtures.host("edge-no-psi"));
    assertFalse(c.psi());
    assertFalse(c.memoryPeak());
    assertFalse(c.memoryEventsLocal());
    assertFalse(c.nrDyingSubsys());
    assertEquals(Optional.of(false), c.dyingKeepMemcgIds());
  }

  @Test
  void realSixOneCaptureHasPsiPeakAndLocalEventsAndReclaimOnlyByTheVersionHint() {
    Capabilities c = probe(Fixtures.host("unified-6.1-dying"));
    assertTrue(c.psi());
    assertTrue(c.memoryPeak());
    assertTrue(c.memoryEventsLocal());
    // The capture skipped write-only files (no memory.reclaim, no cgroup.kill): the listing cannot tell, so the
    // kernel version decides, and says so.
    assertTrue(c.memoryReclaim());
    Decision d = decision(c, "memory.reclaim");
    assertEquals(Decision.KERNEL_VERSION, d.source());
    assertTrue(d.because().contains("no write-only file"), d.because());
  }

  private static Decision decision(Capabilities c, String name) {
    return c.decisions().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  /** A v2 host whose children list {@code cgroup.kill}: its listing keeps write-only files. */
  private static HostTree liveLikeV2(Path tmp, String kernel) {
    HostTree t = HostTree.unified(tmp).kernel(kernel);
    t.cgroup("/").file("cgroup.subtree_control", "memory\n").file("memory.stat", "file 0\n");
    t.cgroup("/a").file("memory.current", "4096\n").file("cgroup.kill", "");
    return t;
  }

  @Test
  void reclaimMissingFromAListingThatKeepsWriteOnlyFilesIsNoWhateverTheVersion(@TempDir Path tmp) {
    liveLikeV2(tmp, "6.6.0-vendor"); // 5.19+ by its version string, but the kernel has no memory.reclaim
    Capabilities c = probe(tmp);
    assertFalse(c.memoryReclaim());
    assertEquals(Decision.FILES, decision(c, "memory.reclaim").source());
  }

  @Test
  void reclaimListedAndWritableIsYesEvenOnAnOldVersionString(@TempDir Path tmp) throws IOException {
    liveLikeV2(tmp, "5.14.0-284.el9.x86_64").cgroup("/").file("memory.reclaim", ""); // a vendor backport
    Path reclaim = tmp.resolve("sys/fs/cgroup/memory.reclaim");
    Files.setPosixFilePermissions(reclaim, PosixFilePermissions.fromString("-w-------"));
    Capabilities c = probe(tmp);
    assertTrue(c.memoryReclaim());
    assertEquals("listed at the root of /sys/fs/cgroup and writable by its mode bits",
        decision(c, "memory.reclaim").because());
    Files.setPosixFilePermissions(reclaim, PosixFilePermissions.fromString("r--r--r--"));
    assertFalse(probe(tmp).memoryReclaim(), "listed but not writable");
  }

  @Test
  void oomKillInV1OomControlDatesTheKernelPastTheIdFixWhateverItsVersionString(@TempDir Path tmp) {
    HostTree t = HostTree.legacyMemory(tmp).kernel("3.10.0-1160.el7.x86_64");
    t.procCgroups("#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t1\t1\n");
    t.cgroupAt("/sys/fs/cgroup/memory", "/").file("memory.oom_control",
        "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    Capabilities c = probe(tmp);
    assertEquals(Optional.of(false), c.dyingKeepMemcgIds());
    assertEquals(Decision.FILES, decision(c, "dying memcgs keep IDs").source());
    HostTree.legacyMemory(tmp.resolve("old")).kernel("3.10.0-1160.el7.x86_64")
        .cgroupAt("/sys/fs/cgroup/memory", "/").file("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
    Capabilities old = probe(tmp.resolve("old"));
    assertEquals(Optional.of(true), old.dyingKeepMemcgIds(), "no file dates it: the version is the last hint");
    assertEquals(Decision.KERNEL_VERSION, decision(old, "dying memcgs keep IDs").source());
  }

  @Test
  void everyCapabilitySaysWhy() {
    for (String host : Fixtures.hostNames()) {
      Capabilities c = probe(Fixtures.host(host));
      assertEquals(List.of("nr_dying_subsys", "PSI", "memory.peak", "memory.reclaim", "memory.events.local",
          "full view", "page cache reparented at removal", "dying memcgs keep IDs"),
          c.decisions().stream().map(Decision::name).toList(), host);
      c.decisions().forEach(d -> assertFalse(d.because().isBlank(), host + " " + d));
    }
  }

  @Test
  void partialViewIsNotAFullView() {
    assertFalse(probe(Fixtures.host("edge-partial-view")).fullView());
    assertTrue(probe(Fixtures.host("hybrid-6.18")).fullView());
  }

  @Test
  void kernelSevenOneReparentsPageCacheAndOldKernelsKeepIds(@TempDir Path tmp) {
    HostTree.unified(tmp).kernel("7.1.3-arch1-1").hostFile("proc/cmdline",
        "BOOT_IMAGE=/vmlinuz root=/dev/sda1 cgroup.memory=nokmem systemd.unified_cgroup_hierarchy=1 quiet\n")
        .cgroup("/").file("memory.reclaim", "");
    Capabilities c = probe(tmp);
    assertEquals(Optional.of(true), c.reparentsPageCache());
    assertEquals(Optional.of(false), c.dyingKeepMemcgIds());
    assertTrue(c.memoryReclaim());
    assertEquals(List.of("cgroup.memory=nokmem", "systemd.unified_cgroup_hierarchy=1"), c.kernelCgroupParameters());
    assertEquals(Optional.of(true), Capabilities.dyingKeepMemcgIds(KernelVersion.parse("4.4.0-210-generic")));
  }

  @Test
  void unknownKernelLeavesVersionDecisionsOpen(@TempDir Path tmp) {
    HostTree.unified(tmp);
    Capabilities c = probe(tmp);
    assertEquals(Optional.empty(), c.reparentsPageCache());
    assertEquals(Optional.empty(), c.dyingKeepMemcgIds());
  }
}
