package io.cgwatch.agent.reclaim;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.cgwatch.cgroupfs.HostRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The last check before the only write cgwatch makes: the target must be a regular file named
 * {@code memory.reclaim}, inside the resolved mount of the cgroup v2 hierarchy (after resolving symlinks), on a
 * filesystem whose statfs(2) magic is {@code CGROUP2_SUPER_MAGIC}. A capture, a fixture tree or any plain file is
 * refused: writing a number into one "succeeds" and would be reported as the kernel reclaiming. statfs comes from
 * the C library through JNA (on the classpath for OSHI); when it cannot be called, the write is refused rather
 * than done unchecked.
 */
interface WriteTargetCheck {
  /** Why {@code file} must not be written; empty when it is the kernel's memory.reclaim. */
  Optional<String> problem(Path file, Path mountDir);

  /** {@code CGROUP2_SUPER_MAGIC} from linux/magic.h. */
  long CGROUP2_SUPER_MAGIC = 0x63677270L;

  /** The real check. */
  WriteTargetCheck STATFS = (file, mountDir) -> {
    if (!"memory.reclaim".equals(String.valueOf(file.getFileName()))) {
      return Optional.of(file + " is not a memory.reclaim file");
    }
    try {
      HostRoots.requireInside(mountDir, file, file.toString());
    } catch (HostRoots.OutsideRootException e) {
      return Optional.of(file + " is outside the cgroup v2 mount " + mountDir + " (after resolving symlinks)");
    }
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        return Optional.of(file + " is not a regular file (a symlink, FIFO or device): not the kernel's memory.reclaim");
      }
    } catch (IOException e) {
      return Optional.of(file + " cannot be examined: " + e.getMessage());
    }
    long magic;
    try {
      magic = Statfs.magic(file);
    } catch (IOException | LinkageError e) {
      return Optional.of("cannot verify that " + file + " is on a cgroup v2 filesystem (statfs: " + e.getMessage()
          + "); not writing unchecked");
    }
    if (magic != CGROUP2_SUPER_MAGIC) {
      return Optional.of(file + " is not on a cgroup v2 filesystem (statfs magic 0x" + Long.toHexString(magic)
          + ", cgroup2 is 0x63677270): a capture, a fixture or a plain file, where a write would only change a "
          + "file and reclaim nothing. Run against the live host's cgroup v2 mount.");
    }
    return Optional.empty();
  };

  /** statfs(2) through JNA: only {@code f_type}, the first member of {@code struct statfs} on Linux. */
  final class Statfs {
    interface LibC extends Library {
      int statfs(String path, Pointer buf);
    }

    private static final class Holder {
      static final LibC C = Native.load("c", LibC.class);
    }

    private Statfs() {}

    static long magic(Path file) throws IOException {
      Memory buf = new Memory(256); // struct statfs is 120 bytes on x86_64 and arm64
      buf.clear();
      if (Holder.C.statfs(file.toString(), buf) != 0) {
        throw new IOException("errno " + Native.getLastError());
      }
      return Native.LONG_SIZE == 8 ? buf.getLong(0) : buf.getInt(0) & 0xffffffffL;
    }
  }
}
