package io.cgwatch.cgroupfs;

import java.nio.file.Path;

/**
 * Where the reader finds the host: never a global, always passed in, so one code path reads the live host
 * ({@code /}), a fixture tree, or a host mounted into a container ({@code --host-root /host}).
 *
 * @param hostRoot the host's {@code /}
 * @param procRoot the host's {@code /proc} (default {@code <hostRoot>/proc})
 * @param cgroupRoot where the host's {@code /sys/fs/cgroup} is visible (default {@code <hostRoot>/sys/fs/cgroup});
 *     cgroup mount points under {@code /sys/fs/cgroup} in mountinfo are resolved below it
 */
public record HostRoots(Path hostRoot, Path procRoot, Path cgroupRoot) {
  static final String CGROUP_MOUNT_BASE = "/sys/fs/cgroup";

  public static HostRoots of(Path hostRoot) {
    return new HostRoots(hostRoot, hostRoot.resolve("proc"), hostRoot.resolve("sys/fs/cgroup"));
  }

  /** The default roots, with either override applied when given. */
  public static HostRoots of(Path hostRoot, Path procRoot, Path cgroupRoot) {
    HostRoots defaults = of(hostRoot);
    return new HostRoots(hostRoot, procRoot != null ? procRoot : defaults.procRoot(),
        cgroupRoot != null ? cgroupRoot : defaults.cgroupRoot());
  }

  /** A mount point as the host names it ({@code /sys/fs/cgroup/memory}), as a path this process can open. */
  public Path resolveMountPoint(String mountPoint) {
    if (mountPoint.equals(CGROUP_MOUNT_BASE)) {
      return cgroupRoot;
    }
    if (mountPoint.startsWith(CGROUP_MOUNT_BASE + "/")) {
      return cgroupRoot.resolve(mountPoint.substring(CGROUP_MOUNT_BASE.length() + 1));
    }
    return hostRoot.resolve(mountPoint.startsWith("/") ? mountPoint.substring(1) : mountPoint);
  }

  /** True when reading the live host this process runs on. */
  public boolean isLiveHost() {
    return hostRoot.toAbsolutePath().normalize().equals(Path.of("/"))
        && procRoot.toAbsolutePath().normalize().equals(Path.of("/proc"));
  }
}
