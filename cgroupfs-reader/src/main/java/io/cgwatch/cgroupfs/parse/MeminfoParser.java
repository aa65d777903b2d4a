package io.cgwatch.cgroupfs.parse;

import java.util.OptionalLong;

/** {@code /proc/meminfo}: {@code MemTotal:       2014280 kB}; only {@code MemTotal} is needed. */
public final class MeminfoParser {
  private static final long BYTES_PER_KIB = 1024;

  private MeminfoParser() {}

  /** MemTotal in bytes; empty when the line is missing. */
  public static OptionalLong memTotalBytes(String content) throws MalformedFileException {
    for (String line : content.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        String[] f = line.substring("MemTotal:".length()).trim().split("\\s+");
        Long kib = f.length == 2 && "kB".equals(f[1]) ? Numbers.parseLong(f[0]) : null;
        // kB beyond Long.MAX_VALUE / 1024 would wrap to a negative byte count (found by fuzzing).
        if (kib == null || kib < 0 || kib > Long.MAX_VALUE / BYTES_PER_KIB) {
          throw new MalformedFileException("expected 'MemTotal: <n> kB', got " + MalformedFileException.quote(line));
        }
        return OptionalLong.of(kib * BYTES_PER_KIB);
      }
    }
    return OptionalLong.empty();
  }
}
