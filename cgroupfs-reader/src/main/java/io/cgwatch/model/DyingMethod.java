package io.cgwatch.model;

/** How a count of dying cgroups was obtained; exported so every number says where it came from. */
public enum DyingMethod {
  /** v2, kernel 6.11+: {@code cgroup.stat nr_dying_subsys_memory}, dying memory css exactly. */
  NR_DYING_SUBSYS_MEMORY("nr_dying_subsys_memory"),
  /** v2: {@code cgroup.stat nr_dying_descendants}, dying cgroups of every controller. */
  NR_DYING_DESCENDANTS("nr_dying_descendants"),
  /** v1: {@code /proc/cgroups num_cgroups} minus the directories walked (includes the root). */
  PROC_CGROUPS("proc_cgroups");

  private final String label;

  DyingMethod(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
