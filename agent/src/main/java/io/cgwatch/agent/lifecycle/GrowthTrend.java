package io.cgwatch.agent.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * A least-squares slope of a count over a sliding time window, for forecasts ("memcg IDs run out in 3 days").
 * A slope over a window, not the last jump, so one burst of creations does not cry wolf.
 */
public final class GrowthTrend {
  private static final double SECONDS_PER_HOUR = 3600;
  private final Duration window;
  private final Deque<Sample> samples = new ArrayDeque<>();

  public GrowthTrend(Duration window) {
    this.window = window;
  }

  public void add(Instant at, long value) {
    samples.addLast(new Sample(at, value));
    Instant cutoff = at.minus(window);
    while (samples.size() > 2 && samples.peekFirst().at.isBefore(cutoff)) {
      samples.removeFirst();
    }
  }

  /** Change per hour; empty with fewer than two samples or no time between them. */
  public OptionalDouble perHour() {
    return slope(samples);
  }

  private static OptionalDouble slope(Deque<Sample> samples) {
    if (samples.size() < 2) {
      return OptionalDouble.empty();
    }
    Instant t0 = samples.peekFirst().at;
    double n = samples.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (Sample s : samples) {
      double x = Duration.between(t0, s.at).toMillis() / 1000.0;
      sx += x;
      sy += s.value;
      sxx += x * x;
      sxy += x * s.value;
    }
    double denominator = n * sxx - sx * sx;
    if (denominator == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((n * sxy - sx * sy) / denominator * SECONDS_PER_HOUR);
  }

  /**
   * A rise per hour that held over the whole window: the smaller of the slopes of its two halves. A single jump
   * lands in one half only, so the other half's flat slope keeps this low; steady growth raises both. Empty until
   * each half has two samples.
   */
  public OptionalDouble steadyPerHour() {
    if (samples.size() < 4) {
      return OptionalDouble.empty();
    }
    Instant first = samples.peekFirst().at;
    Instant middle = first.plus(Duration.between(first, samples.peekLast().at).dividedBy(2));
    Deque<Sample> early = new ArrayDeque<>();
    Deque<Sample> late = new ArrayDeque<>();
    for (Sample s : samples) {
      (s.at.isAfter(middle) ? late : early).addLast(s);
    }
    OptionalDouble a = slope(early);
    OptionalDouble b = slope(late);
    return a.isPresent() && b.isPresent() ? OptionalDouble.of(Math.min(a.getAsDouble(), b.getAsDouble()))
        : OptionalDouble.empty();
  }

  /** Seconds until {@code current} reaches {@code limit} at the current slope; empty unless growing. */
  public OptionalDouble secondsUntil(long current, long limit) {
    OptionalDouble perHour = perHour();
    if (perHour.isEmpty() || perHour.getAsDouble() <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Math.max(0, limit - current) / perHour.getAsDouble() * SECONDS_PER_HOUR);
  }

  private record Sample(Instant at, long value) {}
}
