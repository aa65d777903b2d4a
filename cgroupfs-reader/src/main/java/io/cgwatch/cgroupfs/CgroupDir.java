package io.cgwatch.cgroupfs;

import java.nio.file.Path;
import java.util.Set;

/**
 * One cgroup directory found by the reader's walk ({@link TreeWalker}); public so {@code capture} copies the
 * directories the reader walks instead of walking its own ({@link ReadPlan#walk}).
 *
 * @param fsPath where this process opens it (under the host root)
 * @param mountHostPath where the host sees the hierarchy's mount ({@code /sys/fs/cgroup/memory}), shared by all of
 *     its directories: {@link #hostPath()} is built from it only when needed (errors), not as a String per cgroup
 * @param cgroupPath relative to the hierarchy's mount ({@code /a}); {@code /} for the mount's root
 * @param name the last component as the listing decoded it ({@code ""} for the mount's root); never opened
 * @param parent index of the parent in the walk's pre-order list, {@code -1} for the mount's root
 * @param files the regular files the listing saw; a file not listed is absent without another syscall
 * @param childCount subdirectories (live child cgroups) the listing saw
 * @param modifiedMillis the directory's mtime (creation, or the first lookup after it)
 * @param procsModifiedMillis {@code cgroup.procs}'s mtime (last attach by writing it), {@code -1} when none
 */
public record CgroupDir(Path fsPath, String mountHostPath, String cgroupPath, String name, int depth, int parent,
    long inode, Set<String> files, int childCount, long modifiedMillis, long procsModifiedMillis) {
  public CgroupDir {
    files = Set.copyOf(files);
  }

  /** Where the host sees this directory ({@code /sys/fs/cgroup/memory/a}); used in errors. */
  public String hostPath() {
    return hostPath(mountHostPath, cgroupPath);
  }

  static String hostPath(String mountHostPath, String cgroupPath) {
    return "/".equals(cgroupPath) ? mountHostPath : mountHostPath + cgroupPath;
  }

  /** The later of the directory's and {@code cgroup.procs}'s mtimes. */
  public long lastActivityMillis() {
    return Math.max(modifiedMillis, procsModifiedMillis);
  }
}
