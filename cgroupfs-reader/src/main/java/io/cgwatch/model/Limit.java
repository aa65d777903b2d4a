package io.cgwatch.model;

/**
 * A memory or pids limit: either a number or unlimited ("max" in v2 files, a near-{@code Long.MAX_VALUE}
 * sentinel in v1 files). Unlimited is a value, not a magic number, so nobody divides by it.
 */
public record Limit(long value, boolean unlimited) {
  public static final Limit UNLIMITED = new Limit(Long.MAX_VALUE, true);

  public Limit {
    if (!unlimited && value < 0) {
      throw new IllegalArgumentException("negative limit " + value);
    }
  }

  public static Limit of(long value) {
    return new Limit(value, false);
  }

  @Override
  public String toString() {
    return unlimited ? "max" : Long.toString(value);
  }
}
