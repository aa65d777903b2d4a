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

  /**
   * A mount point as the host names it ({@code /sys/fs/cgroup/memory}), as a path this process can open. The name
   * comes from mountinfo (a fake tree's or a capture's, i.e. untrusted): it is normalised as a host path first, and
   * the result must stay inside its root ({@code cgroupRoot} for {@code /sys/fs/cgroup/...}, else {@code hostRoot}),
   * also after following symlinks when it exists; otherwise {@link OutsideRootException}.
   */
  public Path resolveMountPoint(String mountPoint) {
    // The kernel writes canonical paths in mountinfo: a "." or ".." component is a forged line, not a mount.
    for (String part : mountPoint.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw new OutsideRootException(mountPoint, "has a '" + part + "' component (mountinfo never does)");
      }
    }
    String host = normaliseHostPath(mountPoint);
    Path root;
    Path out;
    if (host.equals(CGROUP_MOUNT_BASE)) {
      root = cgroupRoot;
      out = cgroupRoot;
    } else if (host.startsWith(CGROUP_MOUNT_BASE + "/")) {
      root = cgroupRoot;
      out = cgroupRoot.resolve(host.substring(CGROUP_MOUNT_BASE.length() + 1));
    } else {
      root = hostRoot;
      out = host.equals("/") ? hostRoot : hostRoot.resolve(host.substring(1));
    }
    requireInside(root, out, mountPoint);
    if (root == cgroupRoot && cgroupRoot.toAbsolutePath().normalize().startsWith(hostRoot.toAbsolutePath().normalize())) {
      requireInside(hostRoot, out, mountPoint); // a <host-root>/sys/fs/cgroup that links out of the host root
    }
    return out;
  }

  /** {@code /a/./b/../c} as {@code /a/c}; {@code ..} above {@code /} stays at {@code /}, as the kernel resolves it. */
  static String normaliseHostPath(String p) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  /**
   * Fails unless {@code path} is {@code root} or below it, lexically and, when both exist, after resolving
   * symlinks: a fake tree whose {@code sys/fs/cgroup/memory} links to the real one is outside the tree.
   */
  public static void requireInside(Path root, Path path, String shownAs) {
    Path r = root.toAbsolutePath().normalize();
    Path p = path.toAbsolutePath().normalize();
    if (!p.startsWith(r)) {
      throw new OutsideRootException(shownAs, r);
    }
    try {
      Path realRoot = r.toRealPath();
      if (java.nio.file.Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          && !p.toRealPath().startsWith(realRoot)) {
        throw new OutsideRootException(shownAs, r);
      }
    } catch (java.io.IOException e) {
      // the root or the path does not exist (yet): the lexical check above is all there is; opening will fail
    }
  }

  /** A path from mountinfo or a capture that leads outside the root it must stay in. */
  public static final class OutsideRootException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String shownAs;

    OutsideRootException(String shownAs, Path root) {
      this(shownAs, "leads outside " + root + " (after resolving symlinks)");
    }

    OutsideRootException(String shownAs, String why) {
      super("mount point " + shownAs + " " + why + ": refused, nothing under it is read or written");
      this.shownAs = shownAs;
    }

    /** The path as mountinfo or the capture named it. */
    public String shownAs() {
      return shownAs;
    }
  }

  /** True when reading the live host this process runs on. */
  public boolean isLiveHost() {
    return hostRoot.toAbsolutePath().normalize().equals(Path.of("/"))
        && procRoot.toAbsolutePath().normalize().equals(Path.of("/proc"));
  }
}
