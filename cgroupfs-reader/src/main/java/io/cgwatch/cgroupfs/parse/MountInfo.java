package io.cgwatch.cgroupfs.parse;

import java.util.List;

/**
 * One line of {@code /proc/<pid>/mountinfo}, with escapes ({@code \040} for a space, ...) undone.
 *
 * @param root the path inside the filesystem that is mounted; not {@code /} for a bind mount of a subtree
 * @param superOptions per-superblock options; for cgroup v1 they name the controllers ({@code rw,cpu,cpuacct})
 */
public record MountInfo(
    int mountId,
    int parentId,
    String device,
    String root,
    String mountPoint,
    List<String> mountOptions,
    String fsType,
    String source,
    List<String> superOptions) {

  public MountInfo {
    mountOptions = List.copyOf(mountOptions);
    superOptions = List.copyOf(superOptions);
  }
}
