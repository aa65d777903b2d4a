package io.cgwatch.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cgroup hierarchy of the running kernel that a live test may create its own groups in: root, writable, and
 * mounted where systemd puts them ({@code /sys/fs/cgroup} for v2, {@code /sys/fs/cgroup/unified} for a hybrid
 * host's cgroup2, {@code /sys/fs/cgroup/memory} for v1 memory). The build machine has the last two; the qemu
 * guest of {@code .ci/real-kernel.sh} has the first, with the memory controller.
 *
 * @param memory whether memory is accounted here: v1 memory, or v2 with memory enabled for the root's children
 */
record LiveHierarchy(Path mount, int version, boolean memory) {
  private static final List<Path> CANDIDATES =
      List.of(Path.of("/sys/fs/cgroup"), Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup/memory"));

  /** Every hierarchy of this kernel that live tests can write to; empty when not root. */
  static List<LiveHierarchy> writable() {
    List<LiveHierarchy> out = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      return out;
    }
    for (Path p : CANDIDATES) {
      try {
        if (!Files.isDirectory(p) || !Files.isWritable(p)) {
          continue;
        }
        String type = Files.getFileStore(p).type();
        if (type.equals("cgroup2")) {
          boolean memory = Files.readString(p.resolve("cgroup.subtree_control")).contains("memory");
          out.add(new LiveHierarchy(p, 2, memory));
        } else if (type.equals("cgroup") && Files.exists(p.resolve("memory.usage_in_bytes"))) {
          out.add(new LiveHierarchy(p, 1, true));
        }
      } catch (IOException e) {
        // not a cgroup mount we can use
      }
    }
    return out;
  }

  static List<LiveHierarchy> withMemory() {
    return writable().stream().filter(LiveHierarchy::memory).toList();
  }

  /** For results and messages: {@code cgroup v2 at /sys/fs/cgroup (memory)}. */
  String describe() {
    return (version == 1 ? "cgroup v1 memory" : "cgroup v2") + " at " + mount
        + (version == 2 ? (memory ? " (memory controller)" : " (no memory controller)") : "");
  }

  @Override
  public String toString() {
    return describe();
  }
}
