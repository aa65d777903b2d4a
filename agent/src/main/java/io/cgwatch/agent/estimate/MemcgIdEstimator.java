package io.cgwatch.agent.estimate;

import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.KernelVersion;
import io.cgwatch.model.MemcgIds;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Memory cgroup IDs in use, counted the way the running kernel spends them (kernel-facts §4). Pure.
 */
public final class MemcgIdEstimator {
  /** {@code MEM_CGROUP_ID_MAX}: IDs are 16 bits (they are stored in swap and shadow entries). */
  public static final long ID_LIMIT = 65535;
  /** Up to 6.0 the allocator's end bound was exclusive, so 65,535 itself was never handed out. */
  static final long ID_LIMIT_BEFORE_6_1 = 65534;

  private MemcgIdEstimator() {}

  public static Optional<MemcgIds> estimate(HostSnapshot s) {
    for (HierarchyIndex idx : HierarchyIndex.of(s)) {
      boolean v1Memory = idx.isV1Memory();
      boolean v2Memory = idx.hierarchy.version() == 2 && idx.hierarchy.controllers().contains("memory");
      if (!v1Memory && !v2Memory) {
        continue;
      }
      long live;
      String source;
      Optional<CgroupSnapshot> root = idx.cgroups.stream().filter(c -> c.depth() == 0).findFirst();
      Long nrSubsys = root.flatMap(CgroupSnapshot::nrSubsys).map(m -> m.get("memory")).orElse(null);
      if (v1Memory) {
        live = idx.hierarchy.liveCgroups(); // every v1 memory directory is a memcg
        source = "memory_directories";
      } else if (nrSubsys != null) {
        live = nrSubsys;
        source = "nr_subsys_memory";
      } else if (idx.cgroups.size() == idx.hierarchy.liveCgroups()) {
        live = idx.cgroups.stream().filter(c -> c.depth() == 0
            || c.memory().map(m -> m.currentBytes().isPresent()).orElse(false)).count();
        source = "memory_directories";
      } else {
        live = idx.hierarchy.liveCgroups(); // not every cgroup was read: all of them, an upper bound
        source = "cgroup_directories";
      }
      Optional<KernelVersion> kernel = s.capabilities().kernel();
      boolean keepsDying = s.capabilities().dyingKeepMemcgIds().orElse(false);
      long inUse = live + (keepsDying ? s.dyingMemoryCgroups().count().orElse(0) : 0);
      long limit = kernel.map(k -> k.atLeast(6, 1) ? ID_LIMIT : ID_LIMIT_BEFORE_6_1).orElse(ID_LIMIT);
      return Optional.of(new MemcgIds(inUse, limit, keepsDying ? "live_and_dying" : "live", source,
          OptionalDouble.empty(), OptionalDouble.empty(), MemcgIds.NO_HISTORY));
    }
    return Optional.empty();
  }
}
