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
    ScanOptions.CgroupKey[] keys = new ScanOptions.CgroupKey[s.cgroups().size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key(s.cgroups().get(i));
    }
    try {
      return Set.of(keys); // immutable once, so ScanOptions' copies of it are free; no HashSet on the way
    } catch (IllegalArgumentException repeated) { // not from a reader's snapshot (a path is read once)
      return Set.copyOf(java.util.Arrays.asList(keys));
    }
  }

  /**
   * {@code fresh}, from a scan run with {@code withSlowTierCarried(keys(previous))}, with each cgroup's slow-tier
   * fields taken from {@code previous}; cgroups {@code previous} did not have keep what the scan read.
   *
   * <p>Both lists are in the snapshot's one order, so a cgroup is first looked for at its own index; only when
   * the lists stop lining up (cgroups made or removed between the scans) is {@code previous} indexed by key.
   * Host paths are built only when {@code previous} has slow-tier errors to carry (issue 16: the carry built a
   * map, a stream and Strings per cgroup per scan).
   */
  public static HostSnapshot carry(HostSnapshot previous, HostSnapshot fresh) {
    List<CgroupSnapshot> before = previous.cgroups();
    List<CgroupSnapshot> now = fresh.cgroups();
    List<ScanError> slowErrors = slowTierErrors(previous);
    Set<String> carriedHostPaths = slowErrors.isEmpty() ? null : new HashSet<>();
    Map<String, String> mountPoints = slowErrors.isEmpty() ? null : mountPoints(fresh);
    Map<ScanOptions.CgroupKey, CgroupSnapshot> byKey = null;
    List<CgroupSnapshot> merged = new ArrayList<>(now.size());
    for (int i = 0; i < now.size(); i++) {
      CgroupSnapshot c = now.get(i);
      CgroupSnapshot old = i < before.size() && sameCgroup(before.get(i), c) ? before.get(i) : null;
      if (old == null) {
        byKey = byKey != null ? byKey : byKey(before);
        old = byKey.get(key(c));
      }
      if (old == null) {
        merged.add(c);
        continue;
      }
      if (carriedHostPaths != null) {
        carriedHostPaths.add(hostPath(mountPoints, c));
      }
      merged.add(withSlowTierOf(c, old));
    }
    return new HostSnapshot(fresh.takenAt(), fresh.host(), fresh.mode(), fresh.capabilities(),
        fresh.hierarchies(), fresh.dyingMemoryCgroups(), merged,
        withSlowTierErrors(fresh, slowErrors, carriedHostPaths), fresh.podLogDirs());
  }

  private static boolean sameCgroup(CgroupSnapshot a, CgroupSnapshot b) {
    return a.inode() == b.inode() && a.path().equals(b.path()) && a.hierarchy().equals(b.hierarchy());
  }

  private static Map<ScanOptions.CgroupKey, CgroupSnapshot> byKey(List<CgroupSnapshot> cgroups) {
    Map<ScanOptions.CgroupKey, CgroupSnapshot> m = new HashMap<>(cgroups.size() * 2);
    for (CgroupSnapshot c : cgroups) {
      m.put(key(c), c);
    }
    return m;
  }

  /** The last scan's errors on slow-tier files: none on a healthy host. */
  private static List<ScanError> slowTierErrors(HostSnapshot previous) {
    List<ScanError> out = List.of();
    for (ScanError e : previous.scan().errors()) {
      if (ReadPlan.V2_SLOW_FILES.contains(e.file()) || ReadPlan.V1_MEMORY_SLOW_FILES.contains(e.file())) {
        out = out.isEmpty() ? new ArrayList<>() : out;
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The scan's errors plus the last scan's errors on slow-tier files of the cgroups carried: a malformed or
   * unreadable {@code memory.max} is reported (and counted, and logged) every scan, as when every scan read it,
   * instead of every Nth.
   */
  private static ScanDiagnostics withSlowTierErrors(HostSnapshot fresh, List<ScanError> slowErrors,
      Set<String> carriedHostPaths) {
    if (slowErrors.isEmpty()) {
      return fresh.scan();
    }
    List<ScanError> errors = new ArrayList<>(fresh.scan().errors());
    for (ScanError e : slowErrors) {
      if (carriedHostPaths.contains(e.path())) {
        errors.add(e);
      }
    }
    ScanDiagnostics d = fresh.scan();
    return new ScanDiagnostics(d.duration(), d.cgroupsRead(), d.vanished(), errors);
  }

  /** Each hierarchy's mount point, the first one named so (as the reader names it in errors). */
  private static Map<String, String> mountPoints(HostSnapshot s) {
    Map<String, String> m = new HashMap<>();
    for (HierarchySnapshot h : s.hierarchies()) {
      m.putIfAbsent(h.name(), h.mountPoint());
    }
    return m;
  }

  /** Where the host sees {@code c}, as the reader names it in errors ({@code TreeWalker}). */
  private static String hostPath(Map<String, String> mountPoints, CgroupSnapshot c) {
    String mount = mountPoints.getOrDefault(c.hierarchy(), "");
    return "/".equals(c.path()) ? mount : mount + c.path();
  }

  private static ScanOptions.CgroupKey key(CgroupSnapshot c) {
    return new ScanOptions.CgroupKey(c.hierarchy(), c.path(), c.inode());
  }

  /** {@code c} (fast tier, this scan) with the slow-tier fields of {@code old} (last scan). */
  static CgroupSnapshot withSlowTierOf(CgroupSnapshot c, CgroupSnapshot old) {
    if (old.memory().isEmpty() && old.pressure().isEmpty() && old.pids().isEmpty() && c.pressure().isEmpty()
        && c.pids().isEmpty()) {
      return c; // nothing to carry: c, which read no slow tier, is already what a full read gives
    }
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
    MemorySnapshot n = now.orElse(null);
    OptionalLong current = n != null ? n.currentBytes() : OptionalLong.empty();
    Optional<Map<String, Long>> stat = n != null ? n.stat() : Optional.empty();
    // Without fast-tier memory files this scan, what the readers build from none (V1MemoryCgroupReader,
    // V2CgroupReader), so a carried limit alone looks as it would after a full read.
    MemoryStat breakdown = n != null ? n.breakdown()
        : c.version() == 1 ? MemoryStatTranslation.v1(Map.of()) : MemoryStat.NONE;
    boolean childrenCharged = n != null ? n.childrenCharged() : c.version() == 1
        || c.depth() > 0 && c.subtreeControl().map(l -> l.contains("memory")).orElse(false);
    MemorySnapshot m = new MemorySnapshot(current, b.min(), b.low(), b.high(), b.max(), b.peakBytes(),
        b.swapCurrentBytes(), b.events(), b.eventsLocal(), stat, breakdown, childrenCharged,
        b.depth().withKmemUsageBytes(n != null ? n.depth().kmemUsageBytes() : OptionalLong.empty()));
    return m.isEmpty() ? Optional.empty() : Optional.of(m);
  }
}
