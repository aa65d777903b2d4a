package io.cgwatch.cgroupfs.parse;

/**
 * One row of {@code /proc/cgroups}. {@code numCgroups} counts every cgroup of the controller's hierarchy,
 * including its root and the dying ones; {@code hierarchyId} 0 means the v2 hierarchy (or unbound).
 */
public record ProcCgroupsRow(String subsystem, int hierarchyId, long numCgroups, boolean enabled) {}
