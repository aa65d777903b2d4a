package io.cgwatch.cgroupfs;

import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.MemoryStat;
import io.cgwatch.model.ScanDiagnostics;
import io.cgwatch.model.ScanError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Carries the slow tier ({@link ReadPlan#V2_SLOW_FILES}, {@link ReadPlan#V1_MEMORY_SLOW_FILES}) from the last
 * scan into one that skipped it, so every cgroup keeps the same fields (and {@code /metrics} the same series)
 * between the scans that read it. Pure: both snapshots are given, a new one is returned.
 *
 * <p>A cgroup is matched by {@link ScanOptions.CgroupKey} (hierarchy, path, inode): a cgroup removed and made
 * again under the same path is a new one and was read in full ({@link ScanOptions#readsSlowTier}).
 */
public final class SlowTierCarry {
  private SlowTierCarry() {}

  /** The cgroups of {@code s}: the {@link ScanOptions#withSlowTierCarried} set for the next scan that skips. */
  public static Set<ScanOptions.CgroupKey> keys(HostSnapshot s) {
    Set<ScanOptions.CgroupKey> keys = new HashSet<>(s.cgroups().size() * 2);
    for (CgroupSnapshot c : s.cgroups()) {
      keys.add(key(c));
    }
    return Set.copyOf(keys); // immutable once, so ScanOptions' copies of it are free
  }

  /**
   * {@code fresh}, from a scan run with {@code withSlowTierCarried(keys(previous))}, with each cgroup's slow-tier
   * fields taken from {@code previous}; cgroups {@code previous} did not have keep what the scan read.
   */
  public static HostSnapshot carry(HostSnapshot previous, HostSnapshot fresh) {
    Map<ScanOptions.CgroupKey, CgroupSnapshot> before = new HashMap<>(previous.cgroups().size() * 2);
    for (CgroupSnapshot c : previous.cgroups()) {
      before.put(key(c), c);
    }
    Set<String> carriedHostPaths = new HashSet<>();
    List<CgroupSnapshot> merged = fresh.cgroups().stream().map(c -> {
      CgroupSnapshot old = before.get(key(c));
      if (old == null) {
        return c;
      }
      carriedHostPaths.add(hostPath(fresh, c));
      return withSlowTierOf(c, old);
    }).toList();
    return new HostSnapshot(fresh.takenAt(), fresh.host(), fresh.mode(), fresh.capabilities(),
        fresh.hierarchies(), fresh.dyingMemoryCgroups(), merged, withSlowTierErrors(previous, fresh,
        carriedHostPaths), fresh.podLogDirs());
  }

  /**
   * The scan's errors plus the last scan's errors on slow-tier files of the cgroups carried: a malformed or
   * unreadable {@code memory.max} is reported (and counted, and logged) every scan, as when every scan read it,
   * instead of every Nth.
   */
  private static ScanDiagnostics withSlowTierErrors(HostSnapshot previous, HostSnapshot fresh,
      Set<String> carriedHostPaths) {
    List<ScanError> errors = new ArrayList<>(fresh.scan().errors());
    for (ScanError e : previous.scan().errors()) {
      if ((ReadPlan.V2_SLOW_FILES.contains(e.file()) || ReadPlan.V1_MEMORY_SLOW_FILES.contains(e.file()))
          && carriedHostPaths.contains(e.path())) {
        errors.add(e);
      }
    }
    ScanDiagnostics d = fresh.scan();
    return new ScanDiagnostics(d.duration(), d.cgroupsRead(), d.vanished(), errors);
  }

  /** Where the host sees {@code c}, as the reader names it in errors ({@code TreeWalker}). */
  private static String hostPath(HostSnapshot s, CgroupSnapshot c) {
    String mount = s.hierarchies().stream().filter(h -> h.name().equals(c.hierarchy())).findFirst()
        .map(HierarchySnapshot::mountPoint).orElse("");
    return "/".equals(c.path()) ? mount : mount + c.path();
  }

  private static ScanOptions.CgroupKey key(CgroupSnapshot c) {
    return new ScanOptions.CgroupKey(c.hierarchy(), c.path(), c.inode());
  }

  /** {@code c} (fast tier, this scan) with the slow-tier fields of {@code old} (last scan). */
  static CgroupSnapshot withSlowTierOf(CgroupSnapshot c, CgroupSnapshot old) {
    Optional<MemorySnapshot> memory = memory(c, old.memory());
    return new CgroupSnapshot(c.hierarchy(), c.version(), c.path(), c.inode(), c.depth(), c.children(),
        c.lastActivity(), c.populated(), c.nrDescendants(), c.nrDyingDescendants(), c.nrSubsys(),
        c.nrDyingSubsys(), c.controllers(), c.subtreeControl(), memory, old.pressure(), old.pids(), c.frozen());
  }

  private static Optional<MemorySnapshot> memory(CgroupSnapshot c, Optional<MemorySnapshot> before) {
    Optional<MemorySnapshot> now = c.memory();
    if (before.isEmpty()) {
      return now;
    }
    MemorySnapshot b = before.get();
    OptionalLong current = now.map(MemorySnapshot::currentBytes).orElse(OptionalLong.empty());
    Optional<Map<String, Long>> stat = now.flatMap(MemorySnapshot::stat);
    // Without fast-tier memory files this scan, what the readers build from none (V1MemoryCgroupReader,
    // V2CgroupReader), so a carried limit alone looks as it would after a full read.
    MemoryStat breakdown = now.map(MemorySnapshot::breakdown)
        .orElseGet(() -> c.version() == 1 ? MemoryStatTranslation.v1(Map.of()) : MemoryStat.NONE);
    boolean childrenCharged = now.map(MemorySnapshot::childrenCharged).orElseGet(() -> c.version() == 1
        || c.depth() > 0 && c.subtreeControl().map(l -> l.contains("memory")).orElse(false));
    MemorySnapshot m = new MemorySnapshot(current, b.min(), b.low(), b.high(), b.max(), b.peakBytes(),
        b.swapCurrentBytes(), b.events(), b.eventsLocal(), stat, breakdown, childrenCharged,
        b.depth().withKmemUsageBytes(now.map(n -> n.depth().kmemUsageBytes()).orElse(OptionalLong.empty())));
    return m.isEmpty() ? Optional.empty() : Optional.of(m);
  }
}
