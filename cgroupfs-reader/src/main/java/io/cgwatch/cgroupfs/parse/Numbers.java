package io.cgwatch.cgroupfs.parse;

/** Decimal parsing shared by the parsers; no boxing, no exceptions for control flow on the hot path. */
final class Numbers {
  private Numbers() {}

  /**
   * Parses a signed decimal that fits a {@code long}, or returns {@code null}. Kernel counters are printed as
   * plain decimals; anything else (hex, '+', spaces, overflow) is not what the kernel writes.
   */
  static Long parseLong(String s) {
    int len = s.length();
    if (len == 0 || len > 20) {
      return null;
    }
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '-') {
      if (len == 1) {
        return null;
      }
      negative = true;
      i = 1;
    }
    long result = 0;
    for (; i < len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      int digit = c - '0';
      if (result > (Long.MAX_VALUE - digit) / 10) {
        return null; // overflow
      }
      result = result * 10 + digit;
    }
    return negative ? -result : result;
  }

  static boolean isUnsignedDecimal(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
