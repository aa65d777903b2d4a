package io.cgwatch.cgroupfs;

import java.nio.file.Path;
import java.util.Set;

/**
 * One cgroup directory found by the walk.
 *
 * @param fsPath where this process opens it (under the host root)
 * @param hostPath where the host sees it ({@code /sys/fs/cgroup/memory/a}); used in errors
 * @param cgroupPath relative to the hierarchy's mount ({@code /a}); {@code /} for the mount's root
 * @param files the regular files the listing saw; a file not listed is absent without another syscall
 * @param childCount subdirectories (live child cgroups) the listing saw
 * @param lastActivityMillis the later of the directory's mtime (creation, or the first lookup after it) and
 *     {@code cgroup.procs}'s mtime (last attach by writing it)
 */
record CgroupDir(Path fsPath, String hostPath, String cgroupPath, int depth, long inode, Set<String> files,
    int childCount, long lastActivityMillis) {
  CgroupDir {
    files = Set.copyOf(files);
  }
}
