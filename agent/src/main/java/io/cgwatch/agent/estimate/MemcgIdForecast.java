package io.cgwatch.agent.estimate;

import io.cgwatch.agent.lifecycle.GrowthTrend;
import io.cgwatch.model.MemcgIds;
import java.time.Clock;
import java.time.Duration;

/**
 * When the memory cgroup IDs run out at the present growth: the one estimator with history. It says nothing until
 * its samples span {@link #MIN_SPAN} and number {@link #MIN_SAMPLES}, and gives an ETA only for a steady rise
 * (see {@link GrowthTrend}), because a forecast that pages someone must not come from one burst of mkdir: 100
 * empty cgroups made during {@code diagnose --samples 2 --interval 2s} extrapolate to exhaustion in minutes.
 * Feed it the estimates in scan order; time comes from the injected clock.
 */
public final class MemcgIdForecast {
  /** The slope is taken over this much history. */
  public static final Duration WINDOW = Duration.ofHours(1);
  /** No forecast before the samples span this much: a quarter of the window, an eternity for a burst. */
  public static final Duration MIN_SPAN = Duration.ofMinutes(15);
  /**
   * No forecast from fewer samples than this, whatever their span. Serve's --interval of up to 12 minutes still
   * fits this many in the window; slower scans give no forecast at all (the ratio threshold still applies).
   */
  public static final int MIN_SAMPLES = 6;

  private final Clock clock;
  private final GrowthTrend trend = new GrowthTrend(WINDOW, MIN_SPAN, MIN_SAMPLES);

  public MemcgIdForecast(Clock clock) {
    this.clock = clock;
  }

  /** {@code ids} with the trend's growth, ETA and forecast state, after adding {@code ids} to the history. */
  public MemcgIds apply(MemcgIds ids) {
    trend.add(clock.instant(), ids.inUse());
    GrowthTrend.Forecast f = trend.forecast(ids.inUse(), ids.limit());
    return ids.withForecast(f.perHour(), f.secondsUntilLimit(), f.state().label());
  }
}
