package io.cgwatch.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything one scan saw, immutable. Hierarchies keep mount order; cgroups are sorted by hierarchy, then path in tree
 * order ({@link CgroupPaths#TREE_ORDER}), so every renderer and golden file sees one stable order.
 *
 * @param dyingMemoryCgroups dying memory cgroups on the host, from the best source the kernel offers
 * @param podLogDirs the pods the host's {@code /var/log/pods} names (pod UID to namespace and name, for owners);
 *     empty when it is absent or not visible
 */
public record HostSnapshot(
    Instant takenAt,
    HostInfo host,
    CgroupMode mode,
    Capabilities capabilities,
    List<HierarchySnapshot> hierarchies,
    DyingCount dyingMemoryCgroups,
    List<CgroupSnapshot> cgroups,
    ScanDiagnostics scan,
    List<PodLogDir> podLogDirs) {

  private static final Comparator<CgroupSnapshot> ORDER =
      Comparator.comparing(CgroupSnapshot::hierarchy)
          .thenComparing(CgroupSnapshot::path, CgroupPaths.TREE_ORDER);

  public HostSnapshot {
    hierarchies = List.copyOf(hierarchies);
    cgroups = cgroups.stream().sorted(ORDER).toList();
    podLogDirs = List.copyOf(podLogDirs);
  }

  /** A snapshot of a host with no visible {@code /var/log/pods}. */
  public HostSnapshot(Instant takenAt, HostInfo host, CgroupMode mode, Capabilities capabilities,
      List<HierarchySnapshot> hierarchies, DyingCount dyingMemoryCgroups, List<CgroupSnapshot> cgroups,
      ScanDiagnostics scan) {
    this(takenAt, host, mode, capabilities, hierarchies, dyingMemoryCgroups, cgroups, scan, List.of());
  }

  /**
   * The hierarchy that holds the memory controller, chosen here once for every consumer: a v1 {@code memory}
   * hierarchy, else the v2 hierarchy whose root lists {@code memory}; empty when none does.
   */
  public Optional<HierarchySnapshot> memoryHierarchy() {
    return memoryHierarchy(hierarchies);
  }

  /** {@link #memoryHierarchy()} over hierarchies not yet in a snapshot (the reader, while it builds one). */
  public static Optional<HierarchySnapshot> memoryHierarchy(List<HierarchySnapshot> hierarchies) {
    return hierarchies.stream().filter(h -> h.controllers().contains("memory"))
        .min(Comparator.comparingInt(HierarchySnapshot::version)); // ties: the first mounted
  }

  /**
   * The same snapshot with other host facts (the agent prefers OSHI's for the live host); per-CPU memory is a
   * measurement of this scan and stays this scan's.
   */
  public HostSnapshot withHost(HostInfo newHost) {
    return new HostSnapshot(takenAt, newHost.withPercpuBytes(host.percpuBytes()), mode, capabilities, hierarchies,
        dyingMemoryCgroups, cgroups, scan, podLogDirs);
  }
}
