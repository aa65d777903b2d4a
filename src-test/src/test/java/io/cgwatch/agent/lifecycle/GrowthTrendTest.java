package io.cgwatch.agent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.lifecycle.GrowthTrend.Forecast;
import io.cgwatch.agent.lifecycle.GrowthTrend.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GrowthTrendTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  private static final long LIMIT = 65535;

  /** The memcg ID forecast's settings: one hour, at least 15 minutes and 6 samples. */
  private static GrowthTrend idTrend() {
    return new GrowthTrend(Duration.ofHours(1), Duration.ofMinutes(15), 6);
  }

  @Test
  void steadyGrowthGivesItsRateAndTheTimeToTheLimit() {
    GrowthTrend t = idTrend();
    for (int i = 0; i <= 12; i++) {
      t.add(T0.plus(Duration.ofMinutes(5L * i)), 1000 + 10L * i); // +10 per 5 min = +120 per hour
    }
    Forecast f = t.forecast(1120, LIMIT);
    assertEquals(State.STEADY, f.state());
    assertEquals(120.0, f.perHour().getAsDouble(), 1e-9);
    assertEquals(3600.0 * (LIMIT - 1120) / 120.0, f.secondsUntilLimit().getAsDouble(), 1e-6);
  }

  @Test
  void twoScansAroundABurstOfMkdirAreNoTrend() {
    // The case: diagnose --samples 2 --interval 2s while 100 empty cgroups are made.
    GrowthTrend t = idTrend();
    t.add(T0, 110);
    t.add(T0.plusSeconds(2), 210);
    Forecast f = t.forecast(210, LIMIT);
    assertEquals(State.WARMING_UP, f.state());
    assertTrue(f.perHour().isEmpty());
    assertTrue(f.secondsUntilLimit().isEmpty());
  }

  @Test
  void warmingUpNeedsBothTheSpanAndTheCount() {
    GrowthTrend manyFast = idTrend(); // 20 samples over 10 minutes: enough samples, too short
    for (int i = 0; i < 20; i++) {
      manyFast.add(T0.plusSeconds(30L * i), 100L * i);
    }
    assertEquals(State.WARMING_UP, manyFast.forecast(2000, LIMIT).state());
    GrowthTrend fewSlow = idTrend(); // 5 samples over 40 minutes (serve --interval 10m): long enough, too few
    for (int i = 0; i < 5; i++) {
      fewSlow.add(T0.plus(Duration.ofMinutes(10L * i)), 100L * i);
    }
    assertEquals(State.WARMING_UP, fewSlow.forecast(400, LIMIT).state());
    fewSlow.add(T0.plus(Duration.ofMinutes(50)), 500);
    assertEquals(State.STEADY, fewSlow.forecast(500, LIMIT).state(), "6 samples over 50 minutes are a trend");
    fewSlow.add(T0.plus(Duration.ofMinutes(60)), 600);
    fewSlow.add(T0.plus(Duration.ofMinutes(70)), 700);
    assertEquals(State.STEADY, fewSlow.forecast(700, LIMIT).state(), "the hour's window keeps 7 of them");
  }

  @Test
  void oneBurstIsNeverASteadyForecastWhereverItSitsInTheWindow() {
    // serve every 15 s: flat, 100 mkdir at minute 20, flat again; through the whole hour the burst slides across.
    GrowthTrend t = idTrend();
    for (int s = 0; s <= 2 * 3600; s += 15) {
      long ids = s < 20 * 60 ? 500 : 600;
      t.add(T0.plusSeconds(s), ids);
      Forecast f = t.forecast(ids, LIMIT);
      assertNotEquals(State.STEADY, f.state(), "at second " + s + ": " + f);
      assertTrue(f.secondsUntilLimit().isEmpty(), "at second " + s);
    }
    assertEquals(State.FLAT, t.forecast(600, LIMIT).state(), "an hour after the burst the window is flat");
  }

  @Test
  void oneMkdirIsNoGrowthAtAll() {
    GrowthTrend t = idTrend();
    for (int s = 0; s <= 20 * 60; s += 15) {
      t.add(T0.plusSeconds(s), 40);
    }
    t.add(T0.plusSeconds(20 * 60 + 15), 41);
    Forecast f = t.forecast(41, LIMIT);
    assertEquals(State.FLAT, f.state(), f.toString());
    assertEquals(0.0, f.perHour().getAsDouble(), 1e-9, "the median pair slope ignores one new sample");
  }

  @Test
  void churnAroundALevelIsFlat() {
    GrowthTrend t = idTrend(); // jobs come and go: the count wobbles by ±30 around 1000
    for (int i = 0; i <= 240; i++) {
      t.add(T0.plusSeconds(15L * i), 1000 + ((i * 7919L) % 61) - 30);
    }
    Forecast f = t.forecast(1000, LIMIT);
    assertTrue(f.secondsUntilLimit().isEmpty() || f.secondsUntilLimit().getAsDouble() > 365 * 86400.0, f.toString());
  }

  @Test
  void aTransientSpikeDoesNotBendTheSlope() {
    GrowthTrend t = idTrend();
    for (int i = 0; i <= 12; i++) {
      t.add(T0.plus(Duration.ofMinutes(5L * i)), i == 6 ? 60_000 : 1000 + 10L * i); // one wild reading
    }
    Forecast f = t.forecast(1120, LIMIT);
    assertEquals(120.0, f.perHour().getAsDouble(), 1e-9, "Theil-Sen: least squares would give thousands");
    assertEquals(State.STEADY, f.state());
  }

  @Test
  void shrinkingGivesNoForecast() {
    GrowthTrend t = idTrend();
    for (int i = 0; i <= 12; i++) {
      t.add(T0.plus(Duration.ofMinutes(5L * i)), 5000 - 10L * i);
    }
    Forecast f = t.forecast(4880, LIMIT);
    assertEquals(State.FLAT, f.state());
    assertEquals(-120.0, f.perHour().getAsDouble(), 1e-9);
    assertTrue(f.secondsUntilLimit().isEmpty());
  }

  @Test
  void growthThatStartedLateInTheWindowIsNotSteadyYet() {
    GrowthTrend t = idTrend(); // flat for 40 minutes, then +100 every 5 minutes
    for (int m = 0; m <= 60; m += 5) {
      t.add(T0.plus(Duration.ofMinutes(m)), m <= 40 ? 1000 : 1000 + 20L * (m - 40));
    }
    assertNotEquals(State.STEADY, t.forecast(1400, LIMIT).state(), "the early half is flat");
    for (int m = 65; m <= 110; m += 5) { // the rise goes on: by now the whole window rises
      t.add(T0.plus(Duration.ofMinutes(m)), 1000 + 20L * (m - 40));
    }
    Forecast f = t.forecast(2400, LIMIT);
    assertEquals(State.STEADY, f.state());
    assertEquals(1200.0, f.perHour().getAsDouble(), 1e-9);
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
  void aClockThatGoesBackStartsTheHistoryAgain() {
    GrowthTrend t = idTrend();
    for (int i = 0; i <= 12; i++) {
      t.add(T0.plus(Duration.ofMinutes(5L * i)), 1000 + 10L * i);
    }
    t.add(T0.plus(Duration.ofMinutes(1)), 1130);
    assertEquals(State.WARMING_UP, t.forecast(1130, LIMIT).state());
  }

  @Test
  void anHourOfOneSecondScansUsesAnEvenSubsetAndKeepsTheSlope() {
    GrowthTrend t = idTrend();
    for (int s = 0; s <= 3600; s++) {
      t.add(T0.plusSeconds(s), 10_000 + s / 2); // +1800 per hour, in steps of one
    }
    Forecast f = t.forecast(11_800, LIMIT);
    assertEquals(State.STEADY, f.state());
    assertEquals(1800.0, f.perHour().getAsDouble(), 5.0);
  }

  @Test
  void steadyGrowthIsTheSmallerHalfSlope() {
    GrowthTrend t = new GrowthTrend(Duration.ofHours(1));
    for (int i = 0; i <= 12; i++) {
      t.add(T0.plus(Duration.ofMinutes(5L * i)), i < 6 ? 0 : 1000);
    }
    assertTrue(t.perHour().getAsDouble() > 0, "more pairs straddle the jump than not");
    assertEquals(0.0, t.steadyPerHour().getAsDouble(), 1e-9, "each half is flat");
    assertEquals(State.UNSTEADY, t.forecast(1000, LIMIT).state());
  }

  @Test
  void settingsThatCanNeverBeMetAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new GrowthTrend(Duration.ofMinutes(10), Duration.ofMinutes(15), 6));
    assertThrows(IllegalArgumentException.class, () -> new GrowthTrend(Duration.ofHours(1), Duration.ZERO, 1));
  }
}
