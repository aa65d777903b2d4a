package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.MountInfo;
import io.cgwatch.model.CgroupMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds cgroup hierarchies in mountinfo and classifies the host's cgroup mode. Pure. */
final class CgroupMounts {
  static final String UNIFIED = "unified";

  /** Super options of a v1 mount that are not controllers. */
  private static final Set<String> V1_NON_CONTROLLER_OPTIONS = Set.of(
      "rw", "ro", "noprefix", "clone_children", "xattr", "cpuset_v2_mode", "favordynmods", "none");

  private CgroupMounts() {}

  /**
   * One entry per hierarchy, in mountinfo order. A hierarchy mounted twice (same device: a bind mount, or a
   * container's view inside the host's) is listed once, preferring the mount that shows the whole hierarchy.
   */
  static List<CgroupMount> find(List<MountInfo> mounts) {
    Map<String, CgroupMount> byDevice = new LinkedHashMap<>();
    for (MountInfo m : mounts) {
      CgroupMount cg = classify(m);
      if (cg == null) {
        continue;
      }
      CgroupMount seen = byDevice.get(m.device());
      if (seen == null || better(cg, seen)) {
        byDevice.put(m.device(), cg);
      }
    }
    return List.copyOf(byDevice.values());
  }

  private static boolean better(CgroupMount candidate, CgroupMount current) {
    if (candidate.fullView() != current.fullView()) {
      return candidate.fullView();
    }
    return candidate.mount().mountPoint().length() < current.mount().mountPoint().length();
  }

  private static CgroupMount classify(MountInfo m) {
    if ("cgroup2".equals(m.fsType())) {
      return new CgroupMount(2, UNIFIED, List.of(), m);
    }
    if (!"cgroup".equals(m.fsType())) {
      return null;
    }
    List<String> controllers = new ArrayList<>();
    String named = null;
    for (String opt : m.superOptions()) {
      if (opt.startsWith("name=")) {
        named = opt;
      } else if (!V1_NON_CONTROLLER_OPTIONS.contains(opt) && !opt.contains("=")) {
        controllers.add(opt);
      }
    }
    String name = !controllers.isEmpty() ? String.join(",", controllers) : named != null ? named : "none";
    return new CgroupMount(1, name, controllers, m);
  }

  /** Unified: only cgroup2 holds controllers; hybrid: v1 controllers and cgroup2; legacy: only v1. */
  static CgroupMode mode(List<CgroupMount> hierarchies) {
    boolean v2 = hierarchies.stream().anyMatch(h -> h.version() == 2);
    boolean v1Controllers = hierarchies.stream().anyMatch(h -> h.version() == 1 && !h.controllers().isEmpty());
    if (v2 && v1Controllers) {
      return CgroupMode.HYBRID;
    }
    if (v2) {
      return CgroupMode.UNIFIED;
    }
    return v1Controllers ? CgroupMode.LEGACY : CgroupMode.UNAVAILABLE;
  }
}
