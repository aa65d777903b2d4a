package io.cgwatch.agent.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.model.AlertStatus;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.MemcgIds;
import io.cgwatch.support.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * MemcgIdHeadroomLow's forecast half, through the Analyzer as serve and diagnose run it (default settings: 90%,
 * for 5 minutes, 24 hours horizon), on a v1 host where every memory directory spends an ID. The two
 * misfires are the first two tests.
 */
class MemcgIdForecastAlertTest {
  private static final String RULE = "MemcgIdHeadroomLow";
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final Instant started = clock.instant();
  private final Analyzer analyzer = new Analyzer(clock, TrackerSettings.DEFAULTS, Duration.ofHours(1));
  private final AlertEngine engine = new AlertEngine(clock, Map.of());

  private Analysis scan(long memcgs) {
    return analyzer.analyze(Snapshots.v1().cgroup("/", 1, 0, 0).live(memcgs).v1Dying(0).at(clock.instant()));
  }

  private List<String> eval(Analysis a, Duration interval, boolean oneShot) {
    AlertEngine.Result r = engine.evaluate(new EvalInput(Optional.of(a), Optional.of(clock.instant()), started,
        interval, OptionalDouble.empty()), oneShot);
    return r.active().stream().filter(x -> x.name().equals(RULE)).map(AlertStatus::state).toList();
  }

  @Test
  void aBurstOfMkdirDuringDiagnoseIsNotCritical() {
    // diagnose --samples 2 --interval 2s with 100 empty cgroups made in between: 110 → 210 IDs, 0.3% in use.
    Duration interval = Duration.ofSeconds(2);
    assertEquals(List.of(), eval(scan(110), interval, true));
    clock.advance(interval);
    Analysis second = scan(210);
    assertEquals(List.of(), eval(second, interval, true));
    MemcgIds ids = second.memcgIds().orElseThrow();
    assertEquals("warming_up", ids.forecast());
    assertTrue(ids.exhaustionEtaSeconds().isEmpty(), ids.toString());
    assertTrue(ids.growthPerHour().isEmpty(), "two samples 2 s apart are no rate: " + ids);
  }

  @Test
  void oneMkdirInServeNeverMakesItPending() {
    Duration interval = Duration.ofSeconds(15);
    for (int s = 0; s <= 2 * 3600; s += 15) {
      assertEquals(List.of(), eval(scan(s < 20 * 60 ? 40 : 41), interval, false), "second " + s);
      clock.advance(interval);
    }
  }

  @Test
  void aBigBurstInServeIsUnsteadyAndNeverPending() {
    Duration interval = Duration.ofSeconds(15);
    String seen = "";
    for (int s = 0; s <= 2 * 3600; s += 15) {
      Analysis a = scan(s < 30 * 60 ? 1000 : 6000); // 5000 cgroups at once: 1.5 hours "to the limit" if it went on
      assertEquals(List.of(), eval(a, interval, false), "second " + s + ": " + a.memcgIds());
      String f = a.memcgIds().get().forecast();
      seen += seen.endsWith(f) ? "" : " " + f;
      clock.advance(interval);
    }
    assertTrue(seen.contains("unsteady"), "the burst was seen as a rise that is not steady:" + seen);
  }

  @Test
  void aSteadyRiseTowardsTheLimitGoesPendingThenFiresAndClearsWhenItStops() {
    Duration interval = Duration.ofSeconds(30);
    long ids = 10_000;
    List<String> states = List.of();
    int pendingAt = -1;
    for (int s = 0; s <= 30 * 60; s += 30) { // +3000 per hour: 55,535 left last about 18 hours
      states = eval(scan(ids), interval, false);
      if (pendingAt < 0 && states.equals(List.of("pending"))) {
        pendingAt = s;
      }
      ids += 25;
      clock.advance(interval);
    }
    assertEquals(15 * 60, pendingAt, "pending once the history spans 15 minutes, not before");
    assertEquals(List.of("firing"), states, "firing 5 minutes later");
    AlertStatus firing = engine.evaluate(new EvalInput(Optional.of(scan(ids)), Optional.of(clock.instant()),
        started, interval, OptionalDouble.empty()), false).active().stream().filter(x -> x.name().equals(RULE))
        .findFirst().orElseThrow();
    assertTrue(firing.description().contains("+3000 per hour, steady"), firing.description());
    assertEquals("warning", firing.severity(), "the forecast alone is a warning, as in cgwatch-rules.yml");
    assertTrue(firing.summary().contains("forecast to run out within 24 hours"), firing.summary());
    for (int s = 0; s <= 60 * 60 && !states.isEmpty(); s += 30) { // the rise stops
      clock.advance(interval);
      states = eval(scan(ids), interval, false);
    }
    assertEquals(List.of(), states, "resolved once the hour is no longer a steady rise");
  }

  @Test
  void theForecastIsAWarningUntilTheShareCrossesTheThresholdThenCritical() {
    Duration interval = Duration.ofSeconds(30);
    long ids = 50_000; // 76-80%: below 90%, but +6,000 per hour reaches 65,535 within the day
    for (int s = 0; s <= 25 * 60; s += 30) {
      eval(scan(ids), interval, false);
      ids += 50;
      clock.advance(interval);
    }
    assertEquals("warning", severity(scan(ids), interval), "steady forecast at " + ids + " IDs");
    ids = 59_500; // 90.8%: the share alone is critical
    clock.advance(interval);
    assertEquals("critical", severity(scan(ids), interval), "share above 90% at " + ids + " IDs");
  }

  private String severity(Analysis a, Duration interval) {
    return engine.evaluate(new EvalInput(Optional.of(a), Optional.of(clock.instant()), started, interval,
        OptionalDouble.empty()), false).active().stream().filter(x -> x.name().equals(RULE)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + RULE + ": " + a.memcgIds())).severity();
  }
}
