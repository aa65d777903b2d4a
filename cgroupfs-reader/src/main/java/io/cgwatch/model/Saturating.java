package io.cgwatch.model;

/**
 * Arithmetic on counters that a hostile or broken tree can set near 2^63: results stick at
 * {@code Long.MAX_VALUE} (or {@code Long.MIN_VALUE}) instead of wrapping, so a sum never turns negative and a
 * difference never turns a huge child into invented orphaned page cache.
 */
public final class Saturating {
  private Saturating() {}

  public static long add(long a, long b) {
    long r = a + b;
    // overflow iff both operands have the sign opposite to the result (Hacker's Delight 2-13)
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }

  public static long subtract(long a, long b) {
    long r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }

  public static long multiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return lo;
    }
    return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
  }
}
