package io.cgwatch.exporters.text;

import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HostSnapshot;
import java.util.Comparator;
import java.util.List;

/** The cgroups (not hierarchy roots) with the most dying descendants, as the kernel counts them (v2 only). */
public final class TopSubtrees {
  private TopSubtrees() {}

  public static List<CgroupSnapshot> byDyingDescendants(HostSnapshot s, int limit) {
    return s.cgroups().stream()
        .filter(c -> c.depth() > 0 && c.nrDyingDescendants().orElse(0) > 0)
        .sorted(Comparator.comparingLong((CgroupSnapshot c) -> c.nrDyingDescendants().getAsLong()).reversed()
            .thenComparing(CgroupSnapshot::hierarchy)
            .thenComparing(CgroupSnapshot::path, CgroupPaths.TREE_ORDER))
        .limit(limit)
        .toList();
  }
}
