package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.MountInfo;
import java.util.List;

/**
 * A mounted cgroup hierarchy found in mountinfo.
 *
 * @param version 1 or 2
 * @param controllers v1: the controllers named in the super options, in kernel order; v2: empty (read from the
 *     root's {@code cgroup.controllers})
 * @param name {@code unified} for v2; the joined controller list, or {@code name=<x>} for a named v1 hierarchy
 */
record CgroupMount(int version, String name, List<String> controllers, MountInfo mount) {
  CgroupMount {
    controllers = List.copyOf(controllers);
  }

  boolean fullView() {
    return "/".equals(mount.root());
  }
}
