package io.cgwatch.agent.estimate;

import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The cgroups of one hierarchy with their children, indexed once per snapshot. */
final class HierarchyIndex {
  final HierarchySnapshot hierarchy;
  final List<CgroupSnapshot> cgroups = new ArrayList<>();
  final Map<String, List<CgroupSnapshot>> childrenByParent = new HashMap<>();

  private HierarchyIndex(HierarchySnapshot hierarchy) {
    this.hierarchy = hierarchy;
  }

  static List<HierarchyIndex> of(HostSnapshot s) {
    Map<String, HierarchyIndex> byName = new HashMap<>();
    List<HierarchyIndex> out = new ArrayList<>();
    for (HierarchySnapshot h : s.hierarchies()) {
      HierarchyIndex idx = new HierarchyIndex(h);
      byName.put(h.name(), idx);
      out.add(idx);
    }
    for (CgroupSnapshot c : s.cgroups()) {
      HierarchyIndex idx = byName.get(c.hierarchy());
      if (idx == null) {
        continue;
      }
      idx.cgroups.add(c);
      String parent = CgroupPaths.parent(c.path());
      if (parent != null) {
        idx.childrenByParent.computeIfAbsent(parent, k -> new ArrayList<>()).add(c);
      }
    }
    return out;
  }

  List<CgroupSnapshot> childrenOf(CgroupSnapshot c) {
    return childrenByParent.getOrDefault(c.path(), List.of());
  }

  /** True when every live child the walk saw was also read (not vanished, not beyond --max-depth). */
  boolean allChildrenRead(CgroupSnapshot c) {
    return childrenOf(c).size() == c.children();
  }

  boolean isV1Memory() {
    return hierarchy.version() == 1 && hierarchy.controllers().contains("memory");
  }
}
