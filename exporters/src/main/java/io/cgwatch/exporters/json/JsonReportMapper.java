package io.cgwatch.exporters.json;

import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.DyingCount;
import io.cgwatch.model.DyingMethod;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.Limit;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.PidsSnapshot;
import io.cgwatch.model.Pressure;
import io.cgwatch.model.PressureSnapshot;
import io.cgwatch.model.PsiLine;
import io.cgwatch.model.ScanError;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Maps the internal snapshot onto the JSON contract; pure. */
public final class JsonReportMapper {
  private JsonReportMapper() {}

  public static JsonReport.Document toDocument(HostSnapshot s) {
    return new JsonReport.Document(
        JsonReport.SCHEMA_VERSION,
        s.takenAt().toString(),
        new JsonReport.Host(s.host().kernelRelease().orElse(null), s.mode().label(), boxed(s.host().cpus()),
            boxed(s.host().memoryTotalBytes())),
        s.hierarchies().stream().map(JsonReportMapper::hierarchy).toList(),
        dying(s.dyingMemoryCgroups()),
        s.cgroups().stream().map(JsonReportMapper::cgroup).toList(),
        new JsonReport.Scan(s.scan().duration().toNanos() / 1e9, s.scan().cgroupsRead(), s.scan().vanished(),
            s.scan().errors().stream().map(JsonReportMapper::error).toList()));
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

  private static JsonReport.Cgroup cgroup(CgroupSnapshot c) {
    return new JsonReport.Cgroup(c.hierarchy(), c.path(), c.inode(), c.depth(), c.populated().orElse(null),
        boxed(c.nrDescendants()), boxed(c.nrDyingDescendants()), c.nrSubsys().orElse(null),
        c.nrDyingSubsys().orElse(null), c.controllers().orElse(null), c.subtreeControl().orElse(null),
        c.memory().map(JsonReportMapper::memory).orElse(null),
        c.pressure().map(JsonReportMapper::pressures).orElse(null),
        c.pids().map(JsonReportMapper::pids).orElse(null));
  }

  private static JsonReport.Memory memory(MemorySnapshot m) {
    return new JsonReport.Memory(boxed(m.currentBytes()), limit(m.min()), limit(m.low()), limit(m.high()),
        limit(m.max()), boxed(m.peakBytes()), boxed(m.swapCurrentBytes()), m.events().orElse(null),
        m.eventsLocal().orElse(null), m.stat().orElse(null));
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
    return new JsonReport.Pids(boxed(p.current()), limit(p.max()));
  }

  private static JsonReport.Error error(ScanError e) {
    return new JsonReport.Error(e.path(), e.file(), e.kind().label(), e.message());
  }

  /** A limit as the kernel writes it: bytes, or "max". */
  private static Object limit(Optional<Limit> limit) {
    return limit.map(l -> l.unlimited() ? (Object) "max" : (Object) l.value()).orElse(null);
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  private static Integer boxed(OptionalInt v) {
    return v.isPresent() ? v.getAsInt() : null;
  }
}
