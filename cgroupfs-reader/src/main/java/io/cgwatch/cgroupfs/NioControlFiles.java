package io.cgwatch.cgroupfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link ControlFiles} on the real filesystem. Read-only: nothing here opens a file for writing. */
public final class NioControlFiles implements ControlFiles {
  /** No kernel control file we read comes near this; a larger file is not what the kernel writes. */
  public static final int MAX_FILE_BYTES = 1 << 20;
  /** Every control file cgwatch reads fits; memory.stat is about 1.5 KiB. */
  private static final int READ_CHUNK = 16384;

  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final String PROCS = "cgroup.procs";
  /** A Set, not varargs: FileChannel.open(Path, OpenOption...) builds a HashSet per call. */
  private static final Set<OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  /** One read buffer per thread that scans (the poller's, diagnose's), reused for every file. */
  private final ThreadLocal<byte[]> readBuffer = ThreadLocal.withInitial(() -> new byte[READ_CHUNK]);

  @Override
  public Listing list(Path dir) throws IOException {
    // A directory's link count is 2 + its subdirectories (kernfs, ext4, tmpfs: kernfs_refresh_inode sets
    // subdirs + 2). A leaf, most cgroups, then needs no lstat per entry: every entry is a control file. Other
    // counts (btrfs reports 1) fall back to one lstat per entry.
    boolean leaf = (Integer) Files.getAttribute(dir, "unix:nlink", LinkOption.NOFOLLOW_LINKS) == 2;
    List<Subdirectory> dirs = new ArrayList<>();
    List<String> files = new ArrayList<>();
    String[] names = leaf ? listLeafByName(dir) : null;
    if (names != null) {
      // A leaf holds only control files, which are opened by their known names: a String per entry is enough.
      return new Listing(List.of(), List.of(names), modifiedMillis(dir, Arrays.asList(names)));
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (leaf) {
          files.add(name);
          continue;
        }
        Map<String, Object> attrs;
        try {
          // One lstat gives the type, the inode and the mtime.
          attrs = Files.readAttributes(entry, "unix:mode,ino,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException gone) {
          continue; // removed between readdir and lstat: the walk never saw it
        }
        int type = (Integer) attrs.get("mode") & S_IFMT;
        if (type == S_IFDIR) {
          dirs.add(new Subdirectory(name, (Long) attrs.get("ino"),
              ((FileTime) attrs.get("lastModifiedTime")).toMillis(), entry));
        } else if (type == S_IFREG) {
          files.add(name);
        }
      }
    }
    return new Listing(dirs, files, modifiedMillis(dir, files));
  }

  /** {@code cgroup.procs}'s mtime when the listing has one, else -1. */
  private static long modifiedMillis(Path dir, List<String> files) throws IOException {
    if (!files.contains(PROCS)) {
      return -1;
    }
    try {
      return Files.getLastModifiedTime(dir.resolve(PROCS), LinkOption.NOFOLLOW_LINKS).toMillis();
    } catch (java.nio.file.NoSuchFileException gone) {
      return -1;
    }
  }

  /**
   * A leaf's entry names without a Path per entry ({@code File.list}), or null where that is not safe or failed
   * (the caller then lists through a DirectoryStream, which also throws the error a vanished directory gives).
   * Safe only when the directory's path is printable ASCII without '?': a {@code File} is rebuilt from the
   * path's String, which loses a name that is not valid in the JVM's file-name encoding (it decodes to '?' or
   * U+FFFD). Entry names that do not decode cleanly do not matter in a leaf: only known names are opened.
   */
  private static String[] listLeafByName(Path dir) {
    String s = dir.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '?') {
        return null;
      }
    }
    return dir.toFile().list();
  }

  @Override
  public String read(Path file) throws IOException {
    // Kernfs reports sizes of 0 or 4096 whatever the content, so read to EOF with a cap instead of trusting size.
    // Opened through the Path, never Path.toFile(): a File re-encodes the name from a String, which loses a
    // cgroup name that is not valid UTF-8 (the file then "does not exist" and the cgroup's values vanish). The
    // stream is a FileChannel's, which an interrupt closes: Poller.close lets a running scan finish before it
    // interrupts. The per-thread buffer means a scan allocates nothing per file but the stream and the String.
    //
    // Only regular files are opened: open(2) of a FIFO blocks until a writer comes (forever, in a hostile tree),
    // a device can be endless, and a symlink leads anywhere (its target must never reach output). lstat first,
    // then open with O_NOFOLLOW; a file swapped for a FIFO between the two is what the scan deadline is for.
    requireRegular(file);
    return readCapped(file, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The hot path of a scan: the same checks and cap as {@link #read}, but the bytes land in the scan's reused
   * buffer, through a channel opened with a prebuilt option set: no stream, no content String, no array.
   */
  @Override
  public void readInto(Path file, ReadBuffer into) throws IOException {
    requireRegular(file);
    try (FileChannel ch = FileChannel.open(file, READ_NOFOLLOW)) {
      ByteBuffer view = into.start();
      while (true) {
        int r = ch.read(view);
        if (r < 0) {
          break;
        }
        if (!view.hasRemaining()) {
          if (view.capacity() > MAX_FILE_BYTES) {
            throw new FileTooLargeException(file, MAX_FILE_BYTES);
          }
          view = into.grow(view, MAX_FILE_BYTES);
        }
      }
      into.end(view.position());
    }
  }

  @Override
  public String readHostFile(Path file) throws IOException {
    int type = (Integer) Files.getAttribute(file, "unix:mode") & S_IFMT; // following links, see ControlFiles
    if (type != S_IFREG) {
      throw new NotRegularFileException(type);
    }
    return readCapped(file);
  }

  private String readCapped(Path file, java.nio.file.OpenOption... options) throws IOException {
    byte[] buf = readBuffer.get();
    try (InputStream in = Files.newInputStream(file, options)) {
      int n = 0;
      while (true) {
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n == buf.length) {
          if (buf.length > MAX_FILE_BYTES) {
            throw new FileTooLargeException(file, MAX_FILE_BYTES);
          }
          // Rare (no control file we read is near READ_CHUNK): grow for this file only, keep the shared one small.
          buf = Arrays.copyOf(buf, Math.min(buf.length * 4, MAX_FILE_BYTES + 1));
        }
      }
      return new String(buf, 0, n, StandardCharsets.UTF_8);
    }
  }

  /** Throws {@link NotRegularFileException} unless {@code file} itself (not a link's target) is a regular file. */
  public static void requireRegular(Path file) throws IOException {
    // The common case with one small object: "unix:mode" parses the attribute name and builds a map per call.
    if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
      return;
    }
    int type = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
    if (type != S_IFREG) {
      throw new NotRegularFileException(type);
    }
  }

  @Override
  public boolean isDirectory(Path dir) {
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public Subdirectory stat(Path dir) throws IOException {
    Map<String, Object> attrs = Files.readAttributes(dir, "unix:ino,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    return new Subdirectory(String.valueOf(dir.getFileName()), (Long) attrs.get("ino"),
        ((FileTime) attrs.get("lastModifiedTime")).toMillis());
  }

  /** A FIFO, device, socket, directory or symlink where a control file should be; its message names the type only. */
  public static final class NotRegularFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param type the {@code S_IFMT} bits of the file's mode */
    public NotRegularFileException(int type) {
      super(describe(type) + ", not a regular file: not opened");
    }

    private static String describe(int type) {
      return switch (type) {
        case 0010000 -> "a FIFO";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        case 0120000 -> "a symbolic link (not followed)";
        case S_IFDIR -> "a directory";
        default -> "a special file";
      };
    }
  }

  /** A file bigger than any control file the reader knows. */
  public static final class FileTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public FileTooLargeException(Path file, int limit) {
      super("larger than " + limit + " bytes, not a kernel control file");
    }
  }
}
