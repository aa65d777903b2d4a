package io.cgwatch.agent.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The trend of a count over a sliding time window, for forecasts ("memcg IDs run out in 3 days"). The slope is
 * Theil-Sen (the median of the slopes between every pair of samples), so a few odd samples do not move it, and it
 * is given only once the samples cover {@code minSpan} and number at least {@code minSamples}: two scans two
 * seconds apart around a burst of mkdir are not a trend. A forecast is {@link State#STEADY} only when both halves
 * of the window rise too, which a single jump (one half only) never does.
 */
public final class GrowthTrend {
  private static final double SECONDS_PER_HOUR = 3600;
  /** Theil-Sen is quadratic in the samples; past this many, an evenly spaced subset of them is used. */
  static final int MAX_PAIRED_SAMPLES = 120;
  /** A half of the window rising at less than this share of the whole window's slope makes it unsteady. */
  private static final double STEADY_SHARE = 0.5;

  /** Why a forecast is (not) given; the label is part of the JSON contract. */
  public enum State {
    /** Fewer than the minimum samples, or they span less than the minimum window. */
    WARMING_UP("warming_up"),
    /** The slope is zero or negative: nothing runs out. */
    FLAT("flat"),
    /** The slope is positive, but one half of the window did not rise with it: a burst, not a trend. */
    UNSTEADY("unsteady"),
    /** Both halves of the window rise: the forecast holds. */
    STEADY("steady");

    private final String label;

    State(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * @param perHour the Theil-Sen slope over the window; empty while warming up
   * @param secondsUntilLimit when the count reaches the limit at that slope; present only when {@code STEADY}
   */
  public record Forecast(State state, OptionalDouble perHour, OptionalDouble secondsUntilLimit) {}

  private final Duration window;
  private final Duration minSpan;
  private final int minSamples;
  private final Deque<Sample> samples = new ArrayDeque<>();

  /** No minimum beyond what a slope needs: for rules that add their own {@code for} duration. */
  public GrowthTrend(Duration window) {
    this(window, Duration.ZERO, 2);
  }

  public GrowthTrend(Duration window, Duration minSpan, int minSamples) {
    if (minSpan.compareTo(window) > 0 || minSamples < 2) {
      throw new IllegalArgumentException("minSpan " + minSpan + " must fit in window " + window
          + " and minSamples (" + minSamples + ") must be at least 2");
    }
    this.window = window;
    this.minSpan = minSpan;
    this.minSamples = minSamples;
  }

  public void add(Instant at, long value) {
    if (!samples.isEmpty() && at.isBefore(samples.peekLast().at)) {
      samples.clear(); // the clock went back: the old samples' times no longer compare with the new ones
    }
    samples.addLast(new Sample(at, value));
    Instant cutoff = at.minus(window);
    while (samples.size() > 2 && samples.peekFirst().at.isBefore(cutoff)) {
      samples.removeFirst();
    }
  }

  /** Whether the samples cover the minimum span and number the minimum count. */
  public boolean warm() {
    return samples.size() >= minSamples
        && Duration.between(samples.peekFirst().at, samples.peekLast().at).compareTo(minSpan) >= 0;
  }

  /** Theil-Sen change per hour over the window; empty while warming up or with no time between samples. */
  public OptionalDouble perHour() {
    return warm() ? theilSen(List.copyOf(samples)) : OptionalDouble.empty();
  }

  /**
   * A rise per hour that held over the whole window: the smaller of the slopes of its two halves. A single jump
   * lands in one half only, so the other half's flat slope keeps this low; steady growth raises both. Empty while
   * warming up or until each half has two samples.
   */
  public OptionalDouble steadyPerHour() {
    if (!warm() || samples.size() < 4) {
      return OptionalDouble.empty();
    }
    Instant first = samples.peekFirst().at;
    Instant middle = first.plus(Duration.between(first, samples.peekLast().at).dividedBy(2));
    List<Sample> early = new ArrayList<>();
    List<Sample> late = new ArrayList<>();
    for (Sample s : samples) {
      (s.at.isAfter(middle) ? late : early).add(s);
    }
    OptionalDouble a = theilSen(early);
    OptionalDouble b = theilSen(late);
    return a.isPresent() && b.isPresent() ? OptionalDouble.of(Math.min(a.getAsDouble(), b.getAsDouble()))
        : OptionalDouble.empty();
  }

  /** Where the trend says {@code current} goes against {@code limit}; an ETA only for a steady rise. */
  public Forecast forecast(long current, long limit) {
    OptionalDouble perHour = perHour();
    if (perHour.isEmpty()) {
      return new Forecast(State.WARMING_UP, perHour, OptionalDouble.empty());
    }
    double slope = perHour.getAsDouble();
    if (slope <= 0) {
      return new Forecast(State.FLAT, perHour, OptionalDouble.empty());
    }
    OptionalDouble steady = steadyPerHour();
    if (steady.isEmpty() || steady.getAsDouble() < slope * STEADY_SHARE) {
      return new Forecast(State.UNSTEADY, perHour, OptionalDouble.empty());
    }
    return new Forecast(State.STEADY, perHour,
        OptionalDouble.of(Math.max(0, limit - current) / slope * SECONDS_PER_HOUR));
  }

  /** Median of the pairwise slopes, per hour; empty when no two samples are apart in time. */
  private static OptionalDouble theilSen(List<Sample> all) {
    List<Sample> s = evenlySpaced(all, MAX_PAIRED_SAMPLES);
    double[] slopes = new double[s.size() * (s.size() - 1) / 2];
    int n = 0;
    for (int i = 0; i < s.size(); i++) {
      for (int j = i + 1; j < s.size(); j++) {
        double dx = Duration.between(s.get(i).at, s.get(j).at).toMillis() / 1000.0;
        if (dx > 0) {
          slopes[n++] = (s.get(j).value - s.get(i).value) / dx;
        }
      }
    }
    if (n == 0) {
      return OptionalDouble.empty();
    }
    Arrays.sort(slopes, 0, n);
    double median = n % 2 == 1 ? slopes[n / 2] : (slopes[n / 2 - 1] + slopes[n / 2]) / 2;
    return OptionalDouble.of(median * SECONDS_PER_HOUR);
  }

  private static List<Sample> evenlySpaced(List<Sample> s, int max) {
    if (s.size() <= max) {
      return s;
    }
    List<Sample> out = new ArrayList<>(max);
    for (int k = 0; k < max; k++) {
      out.add(s.get((int) ((long) k * (s.size() - 1) / (max - 1))));
    }
    return out;
  }

  private record Sample(Instant at, long value) {}
}
