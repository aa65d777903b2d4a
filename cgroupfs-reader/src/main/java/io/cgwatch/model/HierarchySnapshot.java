package io.cgwatch.model;

import java.util.List;

/**
 * One mounted cgroup hierarchy.
 *
 * @param name {@code unified} for v2; for v1 the mount's controllers as the kernel lists them
 *     ({@code memory}, {@code cpu,cpuacct}) or {@code name=systemd} for a named hierarchy
 * @param mountPoint where the hierarchy is mounted, as the host sees it
 * @param mountRoot the mountinfo root field; anything but {@code /} is a partial view (a container)
 * @param controllers v2: the root's {@code cgroup.controllers}; v1: the mount's controllers
 * @param liveCgroups directories walked, including the mount's root
 * @param dying dying cgroups in this hierarchy and how they were counted
 */
public record HierarchySnapshot(
    String name,
    int version,
    String mountPoint,
    String mountRoot,
    List<String> controllers,
    long liveCgroups,
    DyingCount dying) {

  public HierarchySnapshot {
    controllers = List.copyOf(controllers);
  }

  /** True when the mount shows the whole hierarchy; dying estimates are only computed then. */
  public boolean fullView() {
    return "/".equals(mountRoot);
  }
}
