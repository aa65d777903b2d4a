package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.Capabilities;
import io.cgwatch.model.KernelVersion;
import io.cgwatch.support.Fixtures;
import java.nio.file.Path;
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
  void realSixOneCaptureHasPsiPeakAndLocalEventsButNoReclaimFileCopied() {
    Capabilities c = probe(Fixtures.host("unified-6.1-dying"));
    assertTrue(c.psi());
    assertTrue(c.memoryPeak());
    assertTrue(c.memoryEventsLocal());
    assertFalse(c.memoryReclaim(), "the capture skips write-only files such as memory.reclaim");
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
