package io.cgwatch.agent.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a {@code .tar.gz} written by {@code cgwatch capture} (POSIX ustar with pax {@code path} records for long
 * names) into a directory, keeping modification times. Refuses anything that would land outside the directory.
 */
public final class TarGz {
  private static final int BLOCK = 512;
  /** Far above a 250,000-cgroup capture (about 100 MiB); a bomb stops here. */
  static final long MAX_TOTAL_BYTES = 2L << 30;
  /** 250,000 cgroups (the scan's own bound) with every file cgwatch copies. */
  static final long MAX_ENTRIES = 6_000_000;
  /** Captured control files compress 5-20 times; zeros compress a thousandfold. Checked after the first MiB. */
  static final long MAX_RATIO = 200;

  private TarGz() {}

  /** A capture archive that is damaged or hostile; the message names the archive and what is wrong. */
  public static final class BadArchiveException extends IOException {
    private static final long serialVersionUID = 1L;

    BadArchiveException(Path archive, String problem) {
      super(archive + ": " + problem);
    }
  }

  static void extract(Path archive, Path into) throws IOException {
    try {
      unpack(archive, into);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new BadArchiveException(archive, "not a complete gzip file (" + e.getMessage() + "): a capture cut "
          + "short or another file");
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new BadArchiveException(archive, "malformed tar header (" + e.getMessage() + ")");
    }
  }

  private static void unpack(Path archive, Path into) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    List<Object[]> dirTimes = new ArrayList<>();
    long compressed = Files.size(archive);
    long total = 0;
    long entries = 0;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      String paxPath = null;
      byte[] header = new byte[BLOCK];
      while (in.readNBytes(header, 0, BLOCK) == BLOCK) {
        if (isZero(header)) {
          break; // end of archive
        }
        String name = string(header, 0, 100);
        String prefix = string(header, 345, 155);
        long size = octal(header, 124, 12);
        long mtime = octal(header, 136, 12);
        char type = (char) header[156];
        if (++entries > MAX_ENTRIES) {
          throw new BadArchiveException(archive, "more than " + MAX_ENTRIES + " entries: not a cgwatch capture");
        }
        total += BLOCK + Math.max(0, size);
        if (total > MAX_TOTAL_BYTES) {
          throw new BadArchiveException(archive, "unpacks to more than " + MAX_TOTAL_BYTES + " bytes: refused");
        }
        if (total > (1 << 20) && total / Math.max(1, compressed) > MAX_RATIO) {
          throw new BadArchiveException(archive, "unpacks to more than " + MAX_RATIO + " times its size ("
              + compressed + " bytes): a decompression bomb, refused");
        }
        byte[] data = readEntry(in, size);
        if (type == 'x') {
          paxPath = paxPath(data);
          continue;
        }
        String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
        paxPath = null;
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || path.startsWith("/")) {
          throw new IOException(archive + ": entry '" + path + "' would be written outside " + into);
        }
        if (type == '5') {
          Files.createDirectories(target);
          dirTimes.add(new Object[] {target, mtime});
        } else if (type == '0' || type == '\0') {
          Files.createDirectories(target.getParent());
          Files.write(target, data);
          Files.setLastModifiedTime(target, FileTime.fromMillis(mtime * 1000));
        } else {
          throw new IOException(archive + ": entry '" + path + "' has type '" + type + "', not a file or directory");
        }
      }
    }
    for (int i = dirTimes.size() - 1; i >= 0; i--) { // after their files, which would touch them
      Files.setLastModifiedTime((Path) dirTimes.get(i)[0], FileTime.fromMillis((Long) dirTimes.get(i)[1] * 1000));
    }
  }

  private static byte[] readEntry(InputStream in, long size) throws IOException {
    if (size < 0 || size > 64L << 20) {
      throw new IOException("tar entry of " + size + " bytes: not a cgwatch capture");
    }
    byte[] data = in.readNBytes((int) size);
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    in.readNBytes((int) pad);
    if (data.length != size) {
      throw new IOException("tar archive ends inside an entry");
    }
    return data;
  }

  /** A pax extended header: records {@code "<len> key=value\n"}; only {@code path} matters here. */
  private static String paxPath(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    int i = 0;
    while (i < text.length()) {
      int space = text.indexOf(' ', i);
      if (space < 0) {
        break;
      }
      int len = Integer.parseInt(text.substring(i, space));
      String record = text.substring(space + 1, Math.min(text.length(), i + len - 1));
      if (record.startsWith("path=")) {
        return record.substring(5);
      }
      i += len;
    }
    return null;
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) {
    String s = string(b, off, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
