package io.cgwatch.model;

/**
 * How the host mounts cgroups (the same classification systemd and containerd use).
 * Decided from mountinfo, by which hierarchies hold controllers.
 */
public enum CgroupMode {
  /** Only cgroup2 holds controllers. */
  UNIFIED("unified"),
  /** v1 controller hierarchies and a cgroup2 mount side by side. */
  HYBRID("hybrid"),
  /** Only v1 hierarchies. */
  LEGACY("legacy"),
  /** No cgroup filesystem is mounted (or mountinfo could not be read). */
  UNAVAILABLE("unavailable");

  private final String label;

  CgroupMode(String label) {
    this.label = label;
  }

  /** The name used in JSON and text output. */
  public String label() {
    return label;
  }
}
