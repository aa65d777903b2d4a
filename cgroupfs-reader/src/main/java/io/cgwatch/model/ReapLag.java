package io.cgwatch.model;

import java.util.List;

/**
 * How long removed cgroups took to stop being counted as dying, as a cumulative histogram (like a Prometheus
 * histogram): {@code cumulativeCounts.get(i)} lags were at most {@code BOUNDS_SECONDS.get(i)}; the last bucket
 * is +Inf and equals {@code count}. A lag is measured at the scan that saw the count fall, so it is an upper
 * bound by at most one interval.
 */
public record ReapLag(List<Long> cumulativeCounts, long count, double sumSeconds) {
  public static final List<Double> BOUNDS_SECONDS = List.of(1.0, 10.0, 60.0, 600.0, 3600.0, 21600.0, 86400.0,
      Double.POSITIVE_INFINITY);
  public static final ReapLag EMPTY = new ReapLag(BOUNDS_SECONDS.stream().map(b -> 0L).toList(), 0, 0);

  public ReapLag {
    cumulativeCounts = List.copyOf(cumulativeCounts);
  }

  public ReapLag plus(double lagSeconds) {
    List<Long> next = new java.util.ArrayList<>(cumulativeCounts);
    for (int i = 0; i < BOUNDS_SECONDS.size(); i++) {
      if (lagSeconds <= BOUNDS_SECONDS.get(i)) {
        next.set(i, next.get(i) + 1);
      }
    }
    return new ReapLag(next, count + 1, sumSeconds + lagSeconds);
  }
}
