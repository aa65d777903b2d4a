package io.cgwatch.agent.nativeio;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The C library calls of {@link NativeControlFiles}, bound by JNA's direct mapping ({@code Native.register}): a
 * call passes primitives and a reused {@code Memory}, so it allocates nothing on the Java heap (an interface
 * mapping would box arguments and build an array per call). Loading this class binds the symbols: it throws
 * {@code UnsatisfiedLinkError} (or JNA's own error) where that is not possible. x86-64 Linux only: the flag values
 * and the {@code struct stat} offsets below are that ABI's.
 */
final class LibC {
  static final int O_RDONLY = 0;
  static final int O_NONBLOCK = 04000;
  static final int O_DIRECTORY = 0200000;
  static final int O_NOFOLLOW = 0400000;
  static final int O_CLOEXEC = 02000000;
  static final int AT_FDCWD = -100;
  static final int AT_SYMLINK_NOFOLLOW = 0x100;

  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EACCES = 13;
  static final int EEXIST = 17;
  static final int ELOOP = 40;

  /** {@code sizeof(struct stat)} on x86-64, and where the fields read are. */
  static final int STAT_BYTES = 144;
  static final int STAT_INO = 8;
  static final int STAT_MODE = 24;
  static final int STAT_MTIME_SEC = 88;
  static final int STAT_MTIME_NSEC = 96;

  /** {@code struct linux_dirent64}: d_ino (8), d_off (8), d_reclen (2), d_type (1), then the name, NUL-ended. */
  static final int DIRENT_RECLEN = 16;
  static final int DIRENT_TYPE = 18;
  static final int DIRENT_NAME = 19;
  static final int DT_UNKNOWN = 0;
  static final int DT_DIR = 4;
  static final int DT_REG = 8;

  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFREG = 0100000;

  static {
    if (!Platform.isLinux() || !"x86-64".equals(Platform.ARCH)) {
      throw new UnsatisfiedLinkError("native file access is built for x86-64 Linux, not " + Platform.ARCH);
    }
    // JNA unpacks its dispatch library into a temporary file and deletes it once loaded; its default place is
    // ~/.cache/JNA/temp, a directory it would leave in the home of whoever runs serve. The process's temp dir
    // instead (TMPDIR, where libffi also makes and at once deletes the file it maps its trampolines from), so
    // nothing is left behind: ReadOnlyProofTest checks both files are removed.
    if (System.getProperty("jna.tmpdir") == null) {
      String tmp = System.getenv("TMPDIR");
      System.setProperty("jna.tmpdir", tmp != null && !tmp.isEmpty() ? tmp : System.getProperty("java.io.tmpdir"));
    }
    Native.register(LibC.class, Platform.C_LIBRARY_NAME);
  }

  private LibC() {}

  static native int open(Pointer path, int flags);

  static native int close(int fd);

  static native long read(int fd, Pointer buf, long count);

  /** glibc 2.30 and later. */
  static native long getdents64(int fd, Pointer buf, long count);

  static native int fstatat(int dirfd, Pointer path, Pointer statbuf, int flags);

  static native int fstat(int fd, Pointer statbuf);

  static native String strerror(int errnum);

  /** Loads (binds) this class; throws what binding throws. */
  static void load() {
    // the static initializer did the work
  }
}
