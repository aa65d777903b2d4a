package io.cgwatch.agent.nativeio;

import com.sun.jna.Memory;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.ForwardingControlFiles;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.NioControlFiles.FileTooLargeException;
import io.cgwatch.cgroupfs.NioControlFiles.NotRegularFileException;
import io.cgwatch.cgroupfs.ReadBuffer;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link ControlFiles} on raw system calls, for the scan's two hot calls: {@link #list} ({@code getdents64}, the
 * entry types from the dirents, {@code fstatat} only for subdirectories, {@code cgroup.procs} and entries of
 * unknown type) and the read of a control file ({@code open}, {@code fstat}, {@code read}, {@code close} into one
 * reused native buffer, then one copy into the scan's {@link ReadBuffer}). Per file it allocates nothing on the
 * Java heap: no {@code Path}, no channel, no attribute object. Everything else (host files, String reads, mount
 * points) goes to {@link NioControlFiles}.
 *
 * <p>It gives what {@link NioControlFiles} gives, values and errors word for word ({@code NativeEquivalenceTest}):
 * <ul>
 *   <li>Only regular files are read. NIO {@code lstat}s the path, then opens it; here the file is opened with
 *       {@code O_NOFOLLOW} (a symlink fails with {@code ELOOP}) and {@code O_NONBLOCK} (a FIFO does not wait for a
 *       writer), then the open descriptor is {@code fstat}ed before any read: one path lookup instead of two. A
 *       failed open is classified by an {@code lstat}, as NIO's first step would have done.
 *   <li>Errors are NIO's exceptions with NIO's texts ({@code strerror}): ENOENT {@link NoSuchFileException},
 *       EACCES {@link AccessDeniedException}, the rest {@link FileSystemException}, so {@code ScanContext}'s rules
 *       (missing, vanished, denied) apply unchanged.
 *   <li>A path or entry name that is not printable ASCII (or holds {@code '?'}, which a lossy decoding also
 *       gives) goes to NIO: its bytes cannot be rebuilt from the String of a {@code Path} (issue 9's hostile
 *       names), and NIO already keeps them. Real cgroup trees are ASCII.
 * </ul>
 * One open difference: a device node is opened (never read) before it is refused, where NIO refuses it from its
 * {@code lstat}; kernfs holds no device nodes, a capture or a fake tree made by root could.
 *
 * <p>Thread-safe: each thread has its own buffers.
 */
public final class NativeControlFiles extends ForwardingControlFiles {
  private static final int PATH_MAX = 4096;
  /** Every control file cgwatch reads fits (memory.stat is about 1.5 KiB); also the getdents64 buffer. */
  private static final int IO_BYTES = 16384;
  private static final int READ_FLAGS = LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC;
  private static final int DIR_FLAGS = READ_FLAGS | LibC.O_DIRECTORY;
  private static final byte[] PROCS = "cgroup.procs".getBytes(StandardCharsets.US_ASCII);

  private static final java.nio.file.FileSystem DEFAULT_FILE_SYSTEM = java.nio.file.FileSystems.getDefault();

  private final ThreadLocal<State> state = ThreadLocal.withInitial(State::new);

  private NativeControlFiles(ControlFiles nio) {
    super(nio);
  }

  /**
   * {@code CGWATCH_NATIVE=0} keeps serve on NIO: for a host where even the two temporary files JNA and libffi make
   * and delete in $TMPDIR at start are unwanted (the scans are the same, at more CPU).
   */
  public static final String OFF_SWITCH = "CGWATCH_NATIVE";

  /** The native file access, or why it cannot load here (not x86-64 Linux, no JNA dispatch library, no libc). */
  public static Loaded load() {
    if ("0".equals(System.getenv(OFF_SWITCH))) {
      return new Loaded(Optional.empty(), "turned off (" + OFF_SWITCH + "=0)");
    }
    try {
      LibC.load();
      return new Loaded(Optional.of(new NativeControlFiles(new NioControlFiles())), "");
    } catch (LinkageError | SecurityException e) {
      return new Loaded(Optional.empty(), String.valueOf(e.getMessage()));
    }
  }

  /** The native file access when it loads, else {@link NioControlFiles}, after telling {@code whyNot} why. */
  public static ControlFiles orNio(java.util.function.Consumer<String> whyNot) {
    Loaded loaded = load();
    if (loaded.files().isPresent()) {
      return loaded.files().get();
    }
    whyNot.accept(loaded.whyNot());
    return new NioControlFiles();
  }

  /** @param files present when it loaded; @param whyNot empty when it did */
  public record Loaded(Optional<ControlFiles> files, String whyNot) {}

  /** The per-thread native and Java buffers; a scan reuses them for every file. */
  private static final class State {
    final Memory path = new Memory(PATH_MAX + 1);
    final byte[] pathBytes = new byte[PATH_MAX + 1];
    final Memory io = new Memory(IO_BYTES);
    final byte[] dents = new byte[IO_BYTES];
    final Memory name = new Memory(256 + 1);
    final Memory stat = new Memory(LibC.STAT_BYTES);
    final NameTable names = new NameTable();
    final Names files = new Names();
    final Names others = new Names();
    /** The directory whose path is in pathBytes[0, dirLength), by identity: a cgroup's files are read together. */
    Path dir;
    int dirLength;

    /** Puts dir's path in pathBytes (cached for the same Path object); -1 when it is not plain ASCII. */
    int dirPrefix(Path d) {
      if (d != dir) {
        dir = d;
        dirLength = onDefaultFileSystem(d) ? ascii(d.toString(), pathBytes, 0, false) : -1;
      }
      return dirLength;
    }
  }

  /** A Path of another file system (a zip, an in-memory one in a test) is not a path the kernel can open. */
  private static boolean onDefaultFileSystem(Path p) {
    return p.getFileSystem() == DEFAULT_FILE_SYSTEM;
  }

  /** Writes s's chars as bytes at {@code at}; the new length, or -1 when a char is not safe to pass as a byte. */
  private static int ascii(String s, byte[] out, int at, boolean name) {
    int n = s.length();
    if (at + n > PATH_MAX || n == 0) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '?' || (name && c == '/')) {
        return -1;
      }
      out[at + i] = (byte) c;
    }
    return at + n;
  }

  @Override
  public void readInto(Path dir, String file, ReadBuffer into) throws IOException {
    State s = state.get();
    int d = s.dirPrefix(dir);
    int end = d < 0 ? -1 : ascii(file, s.pathBytes, d + 1, true);
    if (end < 0) {
      super.readInto(dir, file, into);
      return;
    }
    s.pathBytes[d] = '/';
    s.pathBytes[end] = 0;
    s.path.write(0, s.pathBytes, 0, end + 1);
    read(s, into, dir, file);
  }

  @Override
  public void readInto(Path file, ReadBuffer into) throws IOException {
    State s = state.get();
    int end = onDefaultFileSystem(file) ? ascii(file.toString(), s.pathBytes, 0, false) : -1;
    if (end < 0) {
      super.readInto(file, into);
      return;
    }
    s.dir = null; // pathBytes no longer holds a directory's path
    s.pathBytes[end] = 0;
    s.path.write(0, s.pathBytes, 0, end + 1);
    read(s, into, file, null);
  }

  /** Reads the file named in {@code s.path}; {@code dir}/{@code file} (or the path {@code dir}) name it in errors. */
  private static void read(State s, ReadBuffer into, Path dir, String file) throws IOException {
    int fd = LibC.open(s.path, READ_FLAGS);
    if (fd < 0) {
      throw openFailed(s, com.sun.jna.Native.getLastError(), dir, file);
    }
    try {
      if (LibC.fstat(fd, s.stat) != 0) {
        throw failed(com.sun.jna.Native.getLastError(), name(dir, file));
      }
      int type = s.stat.getInt(LibC.STAT_MODE) & LibC.S_IFMT;
      if (type != LibC.S_IFREG) {
        throw new NotRegularFileException(type);
      }
      byte[] bytes = into.startArray();
      int total = 0;
      while (true) {
        long r = LibC.read(fd, s.io, IO_BYTES);
        if (r < 0) {
          int errno = com.sun.jna.Native.getLastError();
          if (errno == LibC.EINTR) {
            continue;
          }
          throw new IOException(LibC.strerror(errno)); // what FileChannel.read throws
        }
        if (r == 0) {
          break;
        }
        int n = (int) r;
        while (total + n > bytes.length) {
          if (bytes.length > NioControlFiles.MAX_FILE_BYTES) {
            throw new FileTooLargeException(pathOf(dir, file), NioControlFiles.MAX_FILE_BYTES);
          }
          bytes = into.growArray(NioControlFiles.MAX_FILE_BYTES);
        }
        s.io.read(0, bytes, total, n);
        total += n;
        if (total > NioControlFiles.MAX_FILE_BYTES) { // NIO refuses once MAX + 1 bytes are in
          throw new FileTooLargeException(pathOf(dir, file), NioControlFiles.MAX_FILE_BYTES);
        }
      }
      into.end(total);
    } finally {
      LibC.close(fd);
    }
  }

  /** Why the open failed, as NIO's lstat-then-open would have said it. */
  private static IOException openFailed(State s, int openErrno, Path dir, String file) {
    if (LibC.fstatat(LibC.AT_FDCWD, s.path, s.stat, LibC.AT_SYMLINK_NOFOLLOW) != 0) {
      return failed(com.sun.jna.Native.getLastError(), name(dir, file));
    }
    int type = s.stat.getInt(LibC.STAT_MODE) & LibC.S_IFMT;
    if (type != LibC.S_IFREG) {
      return new NotRegularFileException(type);
    }
    return failed(openErrno, name(dir, file));
  }

  /** NIO's translation of an errno ({@code UnixException.translateToIOException}). */
  private static IOException failed(int errno, String file) {
    return switch (errno) {
      case LibC.EACCES -> new AccessDeniedException(file);
      case LibC.ENOENT -> new NoSuchFileException(file);
      case LibC.EEXIST -> new FileAlreadyExistsException(file);
      case LibC.ELOOP -> new FileSystemException(file, null,
          LibC.strerror(errno) + " or unable to access attributes of symbolic link");
      default -> new FileSystemException(file, null, LibC.strerror(errno));
    };
  }

  private static Path pathOf(Path dir, String file) {
    return file == null ? dir : dir.resolve(file);
  }

  private static String name(Path dir, String file) {
    return pathOf(dir, file).toString();
  }

  @Override
  public Listing list(Path dir) throws IOException {
    State s = state.get();
    int end = onDefaultFileSystem(dir) ? ascii(dir.toString(), s.pathBytes, 0, false) : -1;
    if (end < 0) {
      return super.list(dir);
    }
    s.dir = null;
    s.pathBytes[end] = 0;
    s.path.write(0, s.pathBytes, 0, end + 1);
    int fd = LibC.open(s.path, DIR_FLAGS);
    if (fd < 0) {
      return super.list(dir); // gone, denied, not a directory: NIO's exception for it, word for word
    }
    try {
      Listing listing = list(s, fd, dir);
      return listing != null ? listing : super.list(dir);
    } finally {
      LibC.close(fd);
    }
  }

  /**
   * The listing of the open directory {@code fd}, or null when NIO must make it (a name that is not plain ASCII,
   * an error other than an entry vanishing). Like NIO's: regular files and subdirectories (inode and mtime from an
   * {@code lstat}); in a directory without subdirectories (a leaf) every other entry too, which NIO lists by name
   * there and then refuses to read.
   */
  private static Listing list(State s, int fd, Path dir) {
    List<Subdirectory> dirs = null;
    Names files = s.files.clear();
    Names others = s.others.clear();
    boolean procs = false;
    boolean subdirSeen = false;
    while (true) {
      long n = LibC.getdents64(fd, s.io, IO_BYTES);
      if (n < 0) {
        return null;
      }
      if (n == 0) {
        break;
      }
      s.io.read(0, s.dents, 0, (int) n);
      byte[] b = s.dents;
      for (int off = 0; off < n; ) {
        int reclen = (b[off + LibC.DIRENT_RECLEN] & 0xff) | (b[off + LibC.DIRENT_RECLEN + 1] & 0xff) << 8;
        int type = b[off + LibC.DIRENT_TYPE];
        int from = off + LibC.DIRENT_NAME;
        int to = from;
        while (b[to] != 0) {
          to++;
        }
        off += reclen;
        int len = to - from;
        if ((len == 1 && b[from] == '.') || (len == 2 && b[from] == '.' && b[from + 1] == '.')) {
          continue;
        }
        if (!plainAscii(b, from, to)) {
          return null;
        }
        if (type == LibC.DT_REG) {
          files.add(s.names.intern(b, from, to));
          procs |= Arrays.equals(b, from, to, PROCS, 0, PROCS.length);
          continue;
        }
        if (type == LibC.DT_DIR) {
          subdirSeen = true;
        } else if (type != LibC.DT_UNKNOWN) {
          others.add(s.names.intern(b, from, to));
          continue;
        }
        s.name.write(0, b, from, len + 1); // with its NUL
        if (LibC.fstatat(fd, s.name, s.stat, LibC.AT_SYMLINK_NOFOLLOW) != 0) {
          if (com.sun.jna.Native.getLastError() == LibC.ENOENT) {
            continue; // removed between readdir and lstat: the walk never saw it
          }
          return null;
        }
        int mode = s.stat.getInt(LibC.STAT_MODE) & LibC.S_IFMT;
        if (mode == LibC.S_IFDIR) {
          subdirSeen = true;
          String name = new String(b, from, len, StandardCharsets.US_ASCII);
          if (dirs == null) {
            dirs = new ArrayList<>();
          }
          dirs.add(new Subdirectory(name, s.stat.getLong(LibC.STAT_INO), mtimeMillis(s.stat), dir.resolve(name)));
        } else if (mode == LibC.S_IFREG) {
          files.add(s.names.intern(b, from, to));
          procs |= Arrays.equals(b, from, to, PROCS, 0, PROCS.length);
        } else {
          others.add(s.names.intern(b, from, to));
        }
      }
    }
    if (!subdirSeen) {
      for (int i = 0; i < others.size; i++) {
        files.add(others.names[i]);
        procs |= others.names[i].equals("cgroup.procs");
      }
    }
    long procsMillis = -1;
    if (procs) {
      s.name.write(0, PROCS, 0, PROCS.length);
      s.name.setByte(PROCS.length, (byte) 0);
      if (LibC.fstatat(fd, s.name, s.stat, LibC.AT_SYMLINK_NOFOLLOW) == 0) {
        procsMillis = mtimeMillis(s.stat);
      } else if (com.sun.jna.Native.getLastError() != LibC.ENOENT) {
        return null;
      }
    }
    return new Listing(dirs == null ? List.of() : dirs, files.toList(), procsMillis);
  }

  /** A reused array of names (a listing's), grown as needed. */
  private static final class Names {
    String[] names = new String[64];
    int size;

    Names clear() {
      Arrays.fill(names, 0, size, null);
      size = 0;
      return this;
    }

    void add(String name) {
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
      }
      names[size++] = name;
    }

    /** The last lists made, newest first: most directories of a hierarchy list the same names in the same order. */
    private final List<?>[] recent = new List<?>[4];

    /**
     * An immutable list of the names (which Listing keeps as it is): one made for an earlier listing with the same
     * names in the same order when there is one. Names are interned, so the same name is the same String.
     */
    @SuppressWarnings("unchecked")
    List<String> toList() {
      if (size == 0) {
        return List.of();
      }
      for (int i = 0; i < recent.length && recent[i] != null; i++) {
        List<String> seen = (List<String>) recent[i];
        if (sameNames(seen)) {
          System.arraycopy(recent, 0, recent, 1, i); // move to the front
          recent[0] = seen;
          return seen;
        }
      }
      List<String> made = List.of(Arrays.copyOf(names, size));
      System.arraycopy(recent, 0, recent, 1, recent.length - 1);
      recent[0] = made;
      return made;
    }

    private boolean sameNames(List<String> seen) {
      if (seen.size() != size) {
        return false;
      }
      for (int i = 0; i < size; i++) {
        if (seen.get(i) != names[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private static long mtimeMillis(Memory stat) {
    return Math.addExact(Math.multiplyExact(stat.getLong(LibC.STAT_MTIME_SEC), 1000L),
        Math.floorDiv(stat.getLong(LibC.STAT_MTIME_NSEC), 1_000_000L));
  }

  private static boolean plainAscii(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] < 0x20 || b[i] == 0x7f || b[i] == '?') { // bytes >= 0x80 are negative
        return false;
      }
    }
    return to - from <= 255;
  }

  /**
   * One String per entry name seen, matched as bytes: a scan lists the same ~40 control-file names in every
   * cgroup. Bounded; past the bound a name is a new String each time (correct, just not shared).
   */
  private static final class NameTable {
    private static final int SLOTS = 1024; // power of two; filled at most half
    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];
    private int size;

    String intern(byte[] b, int from, int to) {
      int h = 0;
      for (int i = from; i < to; i++) {
        h = 31 * h + b[i];
      }
      h ^= h >>> 16;
      for (int i = h & (SLOTS - 1); ; i = (i + 1) & (SLOTS - 1)) {
        byte[] k = keys[i];
        if (k == null) {
          String s = new String(b, from, to - from, StandardCharsets.US_ASCII);
          if (size < SLOTS / 2) {
            keys[i] = Arrays.copyOfRange(b, from, to);
            values[i] = s;
            size++;
          }
          return s;
        }
        if (Arrays.equals(k, 0, k.length, b, from, to)) {
          return values[i];
        }
      }
    }
  }
}
