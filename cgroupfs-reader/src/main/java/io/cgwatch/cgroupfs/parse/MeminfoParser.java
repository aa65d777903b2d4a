package io.cgwatch.cgroupfs.parse;

import java.util.OptionalLong;

/**
 * {@code /proc/meminfo}: {@code MemTotal:       2014280 kB}, {@code Percpu:            720 kB}; only those two
 * lines are needed.
 */
public final class MeminfoParser {
  private static final long BYTES_PER_KIB = 1024;

  private MeminfoParser() {}

  /** The lines cgwatch uses, in bytes; each empty when the kernel does not print it ({@code Percpu:} is 4.16+). */
  public record Meminfo(OptionalLong memTotalBytes, OptionalLong percpuBytes) {}

  /** MemTotal and Percpu; a present but malformed line of either makes the whole file malformed. */
  public static Meminfo parse(String content) throws MalformedFileException {
    return new Meminfo(kibLine(content, "MemTotal:"), kibLine(content, "Percpu:"));
  }

  /** MemTotal in bytes; empty when the line is missing. */
  public static OptionalLong memTotalBytes(String content) throws MalformedFileException {
    return kibLine(content, "MemTotal:");
  }

  private static OptionalLong kibLine(String content, String key) throws MalformedFileException {
    for (String line : content.split("\n")) {
      if (line.startsWith(key)) {
        String[] f = line.substring(key.length()).trim().split("\\s+");
        Long kib = f.length == 2 && "kB".equals(f[1]) ? Numbers.parseLong(f[0]) : null;
        // kB beyond Long.MAX_VALUE / 1024 would wrap to a negative byte count (found by fuzzing).
        if (kib == null || kib < 0 || kib > Long.MAX_VALUE / BYTES_PER_KIB) {
          throw new MalformedFileException("expected '" + key + " <n> kB', got " + MalformedFileException.quote(line));
        }
        return OptionalLong.of(kib * BYTES_PER_KIB);
      }
    }
    return OptionalLong.empty();
  }
}
