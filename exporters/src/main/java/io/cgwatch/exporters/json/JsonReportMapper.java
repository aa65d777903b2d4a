package io.cgwatch.exporters.json;

import io.cgwatch.exporters.text.Remedies;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.Capabilities;
import io.cgwatch.model.CgroupRef;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.DyingCount;
import io.cgwatch.model.DyingMethod;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostOrphaned;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.KernelVersion;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.Limit;
import io.cgwatch.model.MemcgIds;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.StillDying;
import io.cgwatch.model.Owner;
import io.cgwatch.model.OwnerReport;
import io.cgwatch.model.ParentLifecycle;
import io.cgwatch.model.PidsSnapshot;
import io.cgwatch.model.Pressure;
import io.cgwatch.model.PressureSnapshot;
import io.cgwatch.model.PsiLine;
import io.cgwatch.model.ReapLag;
import io.cgwatch.model.ScanError;
import io.cgwatch.model.VisibleLeak;
import io.cgwatch.model.Zombie;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Maps the internal analysis onto the JSON contract; pure. */
public final class JsonReportMapper {
  private JsonReportMapper() {}

  public static JsonReport.Document toDocument(Analysis a) {
    HostSnapshot s = a.snapshot();
    Map<CgroupRef, OrphanedMemory> orphaned = new HashMap<>();
    a.orphaned().forEach(o -> orphaned.put(CgroupRef.of(o), o));
    return new JsonReport.Document(
        JsonReport.SCHEMA_VERSION,
        s.takenAt().toString(),
        a.verdict(),
        a.alerts().stream().map(al -> new JsonReport.Alert(al.name(), al.severity(), al.state(), al.hierarchy(),
            al.cgroup(), al.value(), al.threshold(), al.activeSince().toString(), al.summary(), al.description()))
            .toList(),
        new JsonReport.Host(s.host().kernelRelease().orElse(null), s.mode().label(), boxed(s.host().cpus()),
            boxed(s.host().memoryTotalBytes()), boxed(s.host().percpuBytes())),
        capabilities(s.capabilities()),
        s.hierarchies().stream().map(JsonReportMapper::hierarchy).toList(),
        dying(s.dyingMemoryCgroups()),
        hostOrphaned(a.hostOrphaned()),
        stillDying(a),
        a.memcgIds().map(JsonReportMapper::memcgIds).orElse(null),
        a.visibleLeaks().stream().map(JsonReportMapper::leak).toList(),
        a.lifecycle().map(JsonReportMapper::lifecycle).orElse(null),
        owners(a.owners()),
        s.cgroups().stream().map(c -> cgroup(c, orphaned.get(CgroupRef.of(c)))).toList(),
        new JsonReport.Scan(seconds(s.scan().duration()), s.scan().cgroupsRead(), s.scan().vanished(),
            s.scan().errors().stream().map(JsonReportMapper::error).toList()));
  }

  private static JsonReport.Capabilities capabilities(Capabilities c) {
    return new JsonReport.Capabilities(c.kernel().map(KernelVersion::toString).orElse(null), c.nrDyingSubsys(),
        c.psi(), c.memoryPeak(), c.memoryReclaim(), c.memoryEventsLocal(), c.kernelCgroupParameters(),
        c.reparentsPageCache().orElse(null), c.dyingKeepMemcgIds().orElse(null), c.fullView(),
        c.decisions().stream().map(d -> new JsonReport.Decision(d.name(), d.value(), d.source(), d.because()))
            .toList());
  }

  private static JsonReport.StillDying stillDying(Analysis a) {
    StillDying.DyingCost c = a.stillDying().cost();
    return new JsonReport.StillDying(a.stillDying().parents().stream().map(p -> new JsonReport.DyingParent(
        p.hierarchy(), p.path(), boxed(p.dying()), p.cause().label(), Remedies.forCause(a, p), boxed(p.fileBytes()),
        boxed(p.dirtyBytes()), boxed(p.writebackBytes()), boxed(p.mappedOrShmemBytes()), boxed(p.kernelBytes()),
        p.kernelPins().orElse(null))).toList(),
        new JsonReport.DyingCost(boxed(c.dying()), boxed(c.memcgs()), boxed(c.percpuMeasuredBytes()),
            boxed(c.perCpuEstimateBytes()), boxed(c.perCpuMeasuredAtMostBytes()), boxed(c.perMemcgBytes()), c.method(),
            boxed(c.dyingBytes())));
  }

  private static JsonReport.Hierarchy hierarchy(HierarchySnapshot h) {
    return new JsonReport.Hierarchy(h.name(), h.version(), h.mountPoint(), h.mountRoot(), h.fullView(),
        h.controllers(), h.liveCgroups(), boxed(h.dying().count()), h.dying().method().map(DyingMethod::label)
            .orElse(null), h.dying().unknownReason().orElse(null));
  }

  private static JsonReport.Dying dying(DyingCount d) {
    return new JsonReport.Dying(boxed(d.count()), d.method().map(DyingMethod::label).orElse(null),
        d.unknownReason().orElse(null));
  }

  private static JsonReport.HostOrphaned hostOrphaned(HostOrphaned h) {
    Charges b = h.bytes();
    return new JsonReport.HostOrphaned(boxed(b.usageBytes()), boxed(b.fileBytes()), boxed(b.fileMappedBytes()),
        boxed(b.shmemBytes()), boxed(b.anonBytes()), boxed(b.kernelBytes()), boxed(b.percpuBytes()), h.parents(),
        boxed(h.dyingKernelMemoryBytes()));
  }

  private static JsonReport.MemcgIds memcgIds(MemcgIds i) {
    return new JsonReport.MemcgIds(i.inUse(), i.limit(), i.rule(), i.source(), boxed(i.growthPerHour()),
        boxed(i.exhaustionEtaSeconds()), i.forecast());
  }

  private static JsonReport.VisibleLeak leak(VisibleLeak l) {
    return new JsonReport.VisibleLeak(l.hierarchy(), l.path(), l.lastActivity().toString(), seconds(l.idle()));
  }

  private static JsonReport.Lifecycle lifecycle(LifecycleView v) {
    return new JsonReport.Lifecycle(v.since().toString(), v.observations(), v.created(), v.removed(),
        v.recreated(), v.unknownOriginDying(), v.tombstones(), v.tombstonesDropped(), v.tombstonesExpired(),
        v.zombies().stream().map(JsonReportMapper::zombie).toList(),
        v.bounds().stream().map(b -> new JsonReport.ZombieBound(b.hierarchy(), b.listed(), b.atMost(),
            b.kernelDying(), b.unknownOrigin(), b.removedEmpty())).toList(),
        v.parents().stream().map(JsonReportMapper::parent).toList());
  }

  private static JsonReport.Owners owners(OwnerReport r) {
    return new JsonReport.Owners(r.hierarchy().isEmpty() ? null : r.hierarchy(), r.dyingAttribution(),
        r.unattributedDying(), r.podLogDirs(), r.owners().stream().map(o -> {
          Owner w = o.owner();
          return new JsonReport.OwnerEntry(w.kind().label(), w.name(), w.namespace().orElse(null),
              w.podUid().orElse(null), w.container().orElse(null), w.runtime().orElse(null), w.qos().orElse(null),
              o.dying(), o.zombies(), o.orphanedFileBytes(), charges(o.chargesAtDeath()));
        }).toList());
  }

  private static JsonReport.Zombie zombie(Zombie z) {
    return new JsonReport.Zombie(z.hierarchy(), z.path(), z.inode(), z.lastSeenAlive().toString(),
        z.removedAt().toString(), seconds(z.age()), boxed(z.chargesAtDeath().fileBytes()),
        charges(z.chargesAtDeath()), z.chargesFrom(), z.attribution());
  }

  private static JsonReport.Parent parent(ParentLifecycle p) {
    return new JsonReport.Parent(p.hierarchy(), p.path(), p.created(), p.removed(), p.recreated(), p.zombies(),
        p.oldestZombieAge().map(JsonReportMapper::seconds).orElse(null), boxed(p.unknownOriginDying()),
        charges(p.zombieChargesAtDeath()), reapLag(p.reapLag()));
  }

  private static JsonReport.ReapLag reapLag(ReapLag r) {
    List<JsonReport.Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < ReapLag.BOUNDS_SECONDS.size(); i++) {
      double le = ReapLag.BOUNDS_SECONDS.get(i);
      buckets.add(new JsonReport.Bucket(Double.isInfinite(le) ? "+Inf" : String.valueOf((long) le),
          r.cumulativeCounts().get(i)));
    }
    return new JsonReport.ReapLag(buckets, r.count(), r.sumSeconds());
  }

  private static JsonReport.Charges charges(Charges c) {
    return new JsonReport.Charges(boxed(c.usageBytes()), boxed(c.fileBytes()), boxed(c.fileMappedBytes()),
        boxed(c.shmemBytes()), boxed(c.anonBytes()), boxed(c.kernelBytes()), boxed(c.percpuBytes()));
  }

  private static JsonReport.Cgroup cgroup(CgroupSnapshot c, OrphanedMemory o) {
    return new JsonReport.Cgroup(c.hierarchy(), c.path(), c.inode(), c.depth(), c.populated().orElse(null),
        boxed(c.nrDescendants()), boxed(c.nrDyingDescendants()), c.nrSubsys().orElse(null),
        c.nrDyingSubsys().orElse(null), c.controllers().orElse(null), c.subtreeControl().orElse(null),
        c.memory().map(JsonReportMapper::memory).orElse(null),
        o == null ? null : orphaned(o),
        c.pressure().map(JsonReportMapper::pressures).orElse(null),
        c.pids().map(JsonReportMapper::pids).orElse(null), c.frozen().orElse(null));
  }

  private static JsonReport.Orphaned orphaned(OrphanedMemory o) {
    Charges b = o.bytes();
    return new JsonReport.Orphaned(boxed(b.usageBytes()), boxed(b.fileBytes()), boxed(b.fileMappedBytes()),
        boxed(b.shmemBytes()), boxed(b.anonBytes()), boxed(b.kernelBytes()), boxed(b.percpuBytes()),
        o.method().label(), o.clampedNegatives());
  }

  private static JsonReport.Memory memory(MemorySnapshot m) {
    return new JsonReport.Memory(boxed(m.currentBytes()), limit(m.min()), limit(m.low()), limit(m.high()),
        limit(m.max()), boxed(m.peakBytes()), boxed(m.swapCurrentBytes()), m.events().orElse(null),
        m.eventsLocal().orElse(null), m.stat().orElse(null), boxed(m.depth().failcnt()),
        boxed(m.depth().maxUsageBytes()), boxed(m.depth().kmemUsageBytes()), boxed(m.depth().kmemMaxUsageBytes()),
        m.depth().oomControl().orElse(null), limit(m.depth().swapMax()), m.depth().swapEvents().orElse(null));
  }

  private static JsonReport.Pressures pressures(PressureSnapshot p) {
    return new JsonReport.Pressures(p.memory().map(JsonReportMapper::pressure).orElse(null),
        p.cpu().map(JsonReportMapper::pressure).orElse(null), p.io().map(JsonReportMapper::pressure).orElse(null));
  }

  private static JsonReport.Pressure pressure(Pressure p) {
    return new JsonReport.Pressure(p.some().map(JsonReportMapper::psi).orElse(null),
        p.full().map(JsonReportMapper::psi).orElse(null));
  }

  private static JsonReport.Psi psi(PsiLine l) {
    return new JsonReport.Psi(l.avg10Percent(), l.avg60Percent(), l.avg300Percent(), l.totalSeconds());
  }

  private static JsonReport.Pids pids(PidsSnapshot p) {
    return new JsonReport.Pids(boxed(p.current()), limit(p.max()), p.events().orElse(null));
  }

  private static JsonReport.Error error(ScanError e) {
    return new JsonReport.Error(e.path(), e.file(), e.kind().label(), e.message());
  }

  /** A limit as the kernel writes it: bytes, or "max". */
  private static Object limit(Optional<Limit> limit) {
    return limit.map(l -> l.unlimited() ? (Object) "max" : (Object) l.value()).orElse(null);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  private static Integer boxed(OptionalInt v) {
    return v.isPresent() ? v.getAsInt() : null;
  }

  private static Double boxed(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }
}
