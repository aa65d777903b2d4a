package io.cgwatch.agent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GrowthTrendTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void steadyGrowthGivesItsRateAndTheTimeToTheLimit() {
    GrowthTrend t = new GrowthTrend(Duration.ofHours(1));
    for (int i = 0; i <= 12; i++) {
      t.add(T0.plus(Duration.ofMinutes(5L * i)), 1000 + 10L * i); // +10 per 5 min = +120 per hour
    }
    assertEquals(120.0, t.perHour().getAsDouble(), 1e-9);
    assertEquals(3600.0 * (65535 - 1120) / 120.0, t.secondsUntil(1120, 65535).getAsDouble(), 1e-6);
  }

  @Test
  void oneSampleOrShrinkingGivesNoForecast() {
    GrowthTrend t = new GrowthTrend(Duration.ofHours(1));
    t.add(T0, 10);
    assertTrue(t.perHour().isEmpty());
    t.add(T0.plusSeconds(60), 5);
    assertTrue(t.secondsUntil(5, 65535).isEmpty());
  }

  @Test
  void oldSamplesLeaveTheWindow() {
    GrowthTrend t = new GrowthTrend(Duration.ofMinutes(10));
    t.add(T0, 0);
    t.add(T0.plus(Duration.ofMinutes(30)), 1000); // a jump long ago
    t.add(T0.plus(Duration.ofMinutes(35)), 1000);
    t.add(T0.plus(Duration.ofMinutes(40)), 1000);
    assertEquals(0.0, t.perHour().getAsDouble(), 1e-9);
  }

  @Test
  void steadyGrowthIsTheSmallerHalfSlope() {
    GrowthTrend t = new GrowthTrend(Duration.ofHours(1));
    for (int i = 0; i <= 12; i++) {
      t.add(T0.plus(Duration.ofMinutes(5L * i)), i < 6 ? 0 : 1000);
    }
    assertTrue(t.perHour().getAsDouble() > 1000, "the plain slope sees the jump");
    assertEquals(0.0, t.steadyPerHour().getAsDouble(), 1e-9, "each half is flat");
  }
}
