package io.cgwatch.cgroupfs.parse;

import io.cgwatch.model.Limit;
import java.math.BigInteger;

/**
 * Limit files: v2 {@code memory.min/low/high/max}, {@code memory.swap.max}, {@code pids.max} print {@code max}
 * or a decimal; v1 {@code memory.limit_in_bytes} prints a decimal where "unlimited" is
 * {@code PAGE_COUNTER_MAX * PAGE_SIZE} (9223372036854771712 with 4 KiB pages, less with larger pages) and
 * kernels before 3.19 printed the u64 {@code RES_COUNTER_MAX} 18446744073709551615.
 */
public final class LimitParser {
  /**
   * Anything at or above this is the v1 "unlimited" sentinel: {@code LONG_MAX} rounded down to a page, for
   * pages up to 64 KiB. No real limit is within 64 KiB of 8 EiB.
   */
  static final long V1_UNLIMITED_THRESHOLD = Long.MAX_VALUE - 65535;

  private LimitParser() {}

  /**
   * {@link #parse(String)} of the bytes' UTF-8 decoding: {@code max} or a non-negative decimal (and an optional
   * newline) in place; anything else through the String parser (same value, same error).
   */
  public static Limit parseBytes(byte[] content, int len) throws MalformedFileException {
    int end = SingleValueParser.valueEnd(content, len);
    if (end == 3 && content[0] == 'm' && content[1] == 'a' && content[2] == 'x') {
      return Limit.UNLIMITED;
    }
    if (end > 0 && content[0] != '-' && FlatKeyedParser.isLong(content, 0, end)) {
      long value = FlatKeyedParser.parseLong(content, 0, end);
      return value >= V1_UNLIMITED_THRESHOLD ? Limit.UNLIMITED : Limit.of(value);
    }
    return parse(new String(content, 0, len, java.nio.charset.StandardCharsets.UTF_8));
  }

  public static Limit parse(String content) throws MalformedFileException {
    String text = SingleValueParser.singleLine(content);
    if ("max".equals(text)) {
      return Limit.UNLIMITED;
    }
    Long value = Numbers.parseLong(text);
    if (value != null && value >= 0) {
      return value >= V1_UNLIMITED_THRESHOLD ? Limit.UNLIMITED : Limit.of(value);
    }
    // At most 20 digits before BigInteger: parsing a 1 MiB run of digits took minutes (found by fuzzing).
    if (text.length() <= 20 && Numbers.isUnsignedDecimal(text) && new BigInteger(text).bitLength() <= 64) {
      return Limit.UNLIMITED; // old u64 RES_COUNTER_MAX: beyond a long, so beyond any real limit
    }
    throw new MalformedFileException("expected 'max' or a byte count, got " + MalformedFileException.quote(text));
  }
}
