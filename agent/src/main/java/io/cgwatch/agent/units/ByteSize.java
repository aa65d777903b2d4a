package io.cgwatch.agent.units;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts as people type them: {@code 4096}, {@code 512K}, {@code 512M}, {@code 1G}, {@code 2T} (binary
 * suffixes, case-insensitive, an optional trailing {@code B} or {@code iB}). Whole numbers only: {@code 1.5G} is
 * refused (write {@code 1536M}), so what is written to the kernel is exactly what was typed.
 */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([KMGT])(?:I?B)?|B)?");

  private ByteSize() {}

  /** The byte count, at least 1; {@link IllegalArgumentException} with a sentence saying what is accepted. */
  public static long parse(String text) {
    String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    Matcher m = SIZE.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size: use a whole number of bytes with an "
          + "optional K, M, G or T suffix (binary: 1K = 1024), e.g. 4096, 512M, 1G; no fractions (1536M, not 1.5G)");
    }
    int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      default -> 40;
    };
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    long bytes = n << shift;
    if (bytes < 1) {
      throw new IllegalArgumentException("'" + text + "': the size must be at least 1 byte");
    }
    return bytes;
  }
}
