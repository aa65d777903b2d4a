package io.cgwatch.agent.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.OwnerReport;
import io.cgwatch.model.OwnerRollup;
import io.cgwatch.model.PodLogDir;
import io.cgwatch.support.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Roll-ups over successive scans: a zombie counts for the owner of its former path (a removed container scope for
 * its pod, a removed service for that service), the rest of a parent's share for the parent's owner; v1 attributes
 * only the lifecycle's candidates and never more than the kernel counts.
 */
class OwnerRollupsTest {
  static final long MIB = 1 << 20;
  static final String UID = OwnerResolverTest.UID;
  static final String POD = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
      + UID.replace('-', '_') + ".slice";
  static final String CTR_A = POD + "/cri-containerd-" + "a1".repeat(32) + ".scope";
  static final String CTR_B = POD + "/cri-containerd-" + "b2".repeat(32) + ".scope";

  final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T21:00:00Z"));
  final Analyzer analyzer = new Analyzer(clock, TrackerSettings.DEFAULTS, Duration.ofHours(1));

  @Test
  void v2ZombiesGoToTheOwnerOfTheirFormerPathTheRestToTheParentsOwner() {
    analyze(Snapshots.v2().cgroup("/", 1, 1, 0).cgroup("/kubepods.slice", 2, 0, 0)
        .cgroup("/kubepods.slice/kubepods-burstable.slice", 3, 0, 0).cgroup(POD, 4, 0, 0)
        .cgroup(CTR_A, 5, 0, 8 * MIB).cgroup(CTR_B, 6, 0, 2 * MIB)
        .cgroup("/system.slice", 7, 1, 0).cgroup("/system.slice/foo.service", 8, 0, 4 * MIB));
    clock.advance(Duration.ofSeconds(15));
    // container A and foo.service removed, both still dying; system.slice also holds one from before cgwatch
    Analysis a = analyze(Snapshots.v2().cgroup("/", 1, 3, 0).cgroup("/kubepods.slice", 2, 1, 0)
        .cgroup("/kubepods.slice/kubepods-burstable.slice", 3, 1, 0).cgroup(POD, 4, 1, 8 * MIB)
        .cgroup(CTR_B, 6, 0, 2 * MIB).cgroup("/system.slice", 7, 2, 4 * MIB));

    OwnerReport r = a.owners();
    assertEquals("per_parent", r.dyingAttribution());
    Map<String, OwnerRollup> by = byName(r);
    assertEquals(List.of("cart", "foo.service", "system.slice"), List.copyOf(by.keySet()));
    assertEquals(1, by.get("cart").dying());
    assertEquals(1, by.get("cart").zombies());
    assertEquals(8 * MIB, by.get("cart").chargesAtDeath().fileBytes().getAsLong());
    assertEquals("shop", by.get("cart").owner().namespace().orElseThrow());
    assertEquals(1, by.get("foo.service").dying());
    assertEquals(4 * MIB, by.get("foo.service").chargesAtDeath().fileBytes().getAsLong());
    assertEquals(1, by.get("system.slice").dying()); // dying before cgwatch watched: the parent's owner
    assertEquals(0, by.get("system.slice").zombies());
    assertEquals(3, r.owners().stream().mapToLong(OwnerRollup::dying).sum(), "every dying cgroup once");
  }

  @Test
  void v2WithoutHistoryEachParentsOwnShareGoesToItsOwner() {
    Analysis a = analyze(Snapshots.v2().cgroup("/", 1, 5, 0).cgroup("/kubepods.slice", 2, 4, 0)
        .cgroup("/kubepods.slice/kubepods-burstable.slice", 3, 4, 0).cgroup(POD, 4, 3, 24 * MIB)
        .cgroup(CTR_B, 6, 0, 2 * MIB).cgroup("/system.slice", 7, 1, 0));
    Map<String, OwnerRollup> by = byName(a.owners());
    assertEquals(3, by.get("cart").dying()); // the pod slice's own 3: removed containers of that pod
    assertEquals(1, by.get("burstable").dying()); // 4 - 3 at the QoS slice: a removed pod
    assertEquals(1, by.get("system.slice").dying());
    assertEquals(5, a.owners().owners().stream().mapToLong(OwnerRollup::dying).sum(), "root's count, once");
  }

  @Test
  void v1AttributesOnlyCandidatesAndNeverMoreThanTheKernelCounts() {
    analyze(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/system.slice", 2, 0, 0)
        .cgroup("/system.slice/a.service", 3, 0, 4 * MIB).cgroup("/system.slice/b.service", 4, 0, 2 * MIB)
        .empty("/system.slice/empty.service", 5).v1Dying(3));
    clock.advance(Duration.ofSeconds(15));
    Analysis a = analyze(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/system.slice", 2, 0, 0).v1Dying(1));
    OwnerReport r = a.owners();
    assertEquals("candidates", r.dyingAttribution());
    long attributed = r.owners().stream().mapToLong(OwnerRollup::dying).sum();
    assertEquals(1, attributed + r.unattributedDying(), "the kernel's count, no more");
    assertEquals(false, byName(r).containsKey("empty.service"), "a cgroup that held nothing is no zombie");
  }

  @Test
  void v1WithOneScanAttributesNothing() {
    Analysis a = analyze(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/system.slice", 2, 0, 0).v1Dying(7));
    assertEquals("none", a.owners().dyingAttribution());
    assertEquals(7, a.owners().unattributedDying());
  }

  private Analysis analyze(Snapshots s) {
    HostSnapshot h = s.at(clock.instant());
    return analyzer.analyze(new HostSnapshot(h.takenAt(), h.host(), h.mode(), h.capabilities(), h.hierarchies(),
        h.dyingMemoryCgroups(), h.cgroups(), h.scan(), List.of(new PodLogDir("shop", "cart", UID))));
  }

  private static Map<String, OwnerRollup> byName(OwnerReport r) {
    return r.owners().stream().collect(Collectors.toMap(o -> o.owner().name(), o -> o, (x, y) -> x,
        java.util.TreeMap::new));
  }
}
