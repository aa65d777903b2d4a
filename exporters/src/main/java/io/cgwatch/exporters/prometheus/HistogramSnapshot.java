package io.cgwatch.exporters.prometheus;

import java.util.List;

/** A cumulative histogram as exported: {@code cumulativeCounts.get(i)} observations were ≤ {@code bounds.get(i)}. */
public record HistogramSnapshot(List<Double> bounds, List<Long> cumulativeCounts, long count, double sum) {
  public HistogramSnapshot {
    bounds = List.copyOf(bounds);
    cumulativeCounts = List.copyOf(cumulativeCounts);
    if (bounds.size() != cumulativeCounts.size()) {
      throw new IllegalArgumentException("bounds and counts differ in size");
    }
  }
}
