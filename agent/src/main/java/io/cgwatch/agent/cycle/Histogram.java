package io.cgwatch.agent.cycle;

import io.cgwatch.exporters.prometheus.HistogramSnapshot;
import java.util.ArrayList;
import java.util.List;

/** A cumulative histogram accumulator; used by the poller thread only. */
final class Histogram {
  /**
   * Control-file reads by default: a decade each from 1 ms to 1 s, which is what tells a fast root memory.stat
   * from one slowed by a zombie pile-up. 7 series per file name instead of 19 (the full set was the largest family
   * at fleet scale).
   */
  static final List<Double> FILE_READ_BOUNDS = List.of(0.001, 0.01, 0.1, 1.0, Double.POSITIVE_INFINITY);
  /** {@code --full-read-latency}: 100 µs (a small file) to 10 s (root memory.stat under a zombie pile-up). */
  static final List<Double> FILE_READ_BOUNDS_FULL = List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, Double.POSITIVE_INFINITY);
  static final List<Double> SCAN_BOUNDS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
      30.0, 60.0, Double.POSITIVE_INFINITY);

  private final List<Double> bounds;
  /** The bounds unboxed: observe runs once per file read. */
  private final double[] upper;
  private final long[] counts;
  private long count;
  private double sum;

  Histogram(List<Double> bounds) {
    this.bounds = bounds;
    this.upper = bounds.stream().mapToDouble(Double::doubleValue).toArray();
    this.counts = new long[upper.length];
  }

  void observe(double seconds) {
    for (int i = 0; i < upper.length; i++) {
      if (seconds <= upper[i]) {
        counts[i]++;
      }
    }
    count++;
    sum += seconds;
  }

  HistogramSnapshot snapshot() {
    List<Long> cumulative = new ArrayList<>(counts.length);
    for (long c : counts) {
      cumulative.add(c);
    }
    return new HistogramSnapshot(bounds, cumulative, count, sum);
  }
}
