package io.cgwatch.agent.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a capture as a gzip'd POSIX ustar archive (a minimal writer: directories and regular files; names that
 * do not fit ustar's name/prefix fields get a pax {@code path} record). {@code tar -xzf} of it gives the same tree
 * as {@link DirectorySink}, directory mtimes included.
 */
final class TarGzSink implements CaptureSink {
  private static final int BLOCK = 512;
  private final OutputStream out;
  private final long nowSeconds;

  TarGzSink(Path file, long nowMillis) throws IOException {
    this.out = new GZIPOutputStream(new BufferedOutputStream(
        Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16), 1 << 16);
    this.nowSeconds = Math.max(0, nowMillis / 1000);
  }

  @Override
  public void directory(String path, long mtimeMillis) throws IOException {
    entry(path.endsWith("/") ? path : path + "/", '5', 0755, new byte[0], mtimeMillis);
  }

  @Override
  public void file(String path, byte[] content, long mtimeMillis) throws IOException {
    entry(path, '0', 0644, content, mtimeMillis);
  }

  private void entry(String name, char type, int mode, byte[] content, long mtimeMillis) throws IOException {
    long mtime = mtimeMillis >= 0 ? mtimeMillis / 1000 : nowSeconds;
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    String shortName = name;
    String prefix = "";
    if (nameBytes.length > 100) {
      int split = splitPoint(name);
      if (split > 0) {
        prefix = name.substring(0, split);
        shortName = name.substring(split + 1);
      } else {
        pax(name, mtime);
        shortName = truncate(name, 100);
      }
    }
    out.write(header(shortName, prefix, type, mode, content.length, mtime));
    writePadded(content);
  }

  /** Where to split a long name into ustar's prefix (155) and name (100), or -1. */
  private static int splitPoint(String name) {
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    for (int i = trimmed.indexOf('/'); i > 0; i = trimmed.indexOf('/', i + 1)) {
      if (utf8(name.substring(0, i)) <= 155 && utf8(name.substring(i + 1)) <= 100) {
        return i;
      }
    }
    return -1;
  }

  private void pax(String name, long mtime) throws IOException {
    String body = "path=" + name + "\n";
    int len = utf8(body) + 1;
    while (utf8(len + " " + body) != len) {
      len = utf8(len + " " + body);
    }
    byte[] record = (len + " " + body).getBytes(StandardCharsets.UTF_8);
    out.write(header("PaxHeader", "", 'x', 0644, record.length, mtime));
    writePadded(record);
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String truncate(String s, int bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (utf8(sb.toString() + s.charAt(i)) > bytes) {
        break;
      }
      sb.append(s.charAt(i));
    }
    return sb.toString();
  }

  private static byte[] header(String name, String prefix, char type, int mode, long size, long mtime) {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
    put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
    put(h, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] h, int off, int len, byte[] value) {
    System.arraycopy(value, 0, h, off, Math.min(len, value.length));
  }

  /** Zero-padded octal, NUL-terminated, in a field of {@code len} bytes. */
  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("value " + value + " does not fit a ustar field of " + len);
    }
    s = "0".repeat(len - 1 - s.length()) + s;
    put(h, off, len - 1, s.getBytes(StandardCharsets.US_ASCII));
    h[off + len - 1] = 0;
  }

  private void writePadded(byte[] content) throws IOException {
    out.write(content);
    int pad = (BLOCK - content.length % BLOCK) % BLOCK;
    out.write(new byte[pad]);
  }

  @Override
  public void finish() throws IOException {
    out.write(new byte[2 * BLOCK]); // end of archive
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
