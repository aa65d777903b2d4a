package io.cgwatch.agent.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.model.AlertStatus;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.VisibleLeak;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.support.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The engine without I/O: every rule's pending → firing → resolved path, hysteresis, overrides. */
class AlertEngineTest {
  private static final Duration INTERVAL = Duration.ofSeconds(15);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final Instant started = clock.instant();
  private final Analyzer analyzer = new Analyzer(clock, TrackerSettings.DEFAULTS, Duration.ofHours(1));

  private AlertEngine engine(Map<String, RuleOverride> overrides) {
    return new AlertEngine(clock, overrides);
  }

  private static RuleOverride override(double threshold, double clear, Duration forDuration) {
    return new RuleOverride(null, threshold, clear, forDuration, null);
  }

  private Analysis dying(long count) {
    return analyzer.analyze(Snapshots.v2().cgroup("/", 1, count, 0).at(clock.instant()));
  }

  private AlertEngine.Result eval(AlertEngine e, Analysis a) {
    return e.evaluate(new EvalInput(Optional.of(a), Optional.of(clock.instant()), started, INTERVAL,
        OptionalDouble.empty()), false);
  }

  private static List<String> states(AlertEngine.Result r, String rule) {
    return r.active().stream().filter(a -> a.name().equals(rule)).map(AlertStatus::state).toList();
  }

  private static List<String> changes(AlertEngine.Result r, String rule) {
    return r.changes().stream().filter(a -> a.name().equals(rule)).map(AlertStatus::state).toList();
  }

  @Test
  void dyingCgroupsHighGoesPendingFiringAndResolvesOnlyBelowClear() {
    AlertEngine e = engine(Map.of("DyingCgroupsHigh", override(10, 5, Duration.ofMinutes(5))));
    assertEquals(List.of(), states(eval(e, dying(9)), "DyingCgroupsHigh"));
    AlertEngine.Result r = eval(e, dying(12));
    assertEquals(List.of("pending"), states(r, "DyingCgroupsHigh"));
    assertEquals(List.of("pending"), changes(r, "DyingCgroupsHigh"));
    clock.advance(Duration.ofMinutes(4));
    assertEquals(List.of("pending"), states(eval(e, dying(12)), "DyingCgroupsHigh"));
    clock.advance(Duration.ofMinutes(1));
    r = eval(e, dying(13));
    assertEquals(List.of("firing"), states(r, "DyingCgroupsHigh"));
    assertEquals(List.of("firing"), changes(r, "DyingCgroupsHigh"));
    AlertStatus firing = r.active().get(0);
    assertEquals("warning", firing.severity());
    assertEquals("unified", firing.hierarchy());
    assertEquals("/", firing.cgroup());
    assertEquals(13.0, firing.value());
    assertEquals(started.plus(Duration.ofMinutes(0)), firing.activeSince());
    assertTrue(firing.summary().contains("13 dying memory cgroups"), firing.summary());
    assertTrue(firing.description().contains("What to do"), firing.description());

    clock.advance(Duration.ofMinutes(1));
    r = eval(e, dying(8)); // below the threshold but above clear: hysteresis keeps it firing
    assertEquals(List.of("firing"), states(r, "DyingCgroupsHigh"));
    assertEquals(List.of(), changes(r, "DyingCgroupsHigh"));
    r = eval(e, dying(4));
    assertEquals(List.of(), states(r, "DyingCgroupsHigh"));
    assertEquals(List.of("resolved"), changes(r, "DyingCgroupsHigh"));
    assertEquals(List.of("pending"), states(eval(e, dying(11)), "DyingCgroupsHigh"), "a new episode");
  }

  @Test
  void pendingThatDropsBeforeForNeverFires() {
    AlertEngine e = engine(Map.of("DyingCgroupsHigh", override(10, 5, Duration.ofMinutes(5))));
    eval(e, dying(12));
    clock.advance(Duration.ofMinutes(2));
    AlertEngine.Result r = eval(e, dying(9));
    assertEquals(List.of(), states(r, "DyingCgroupsHigh"));
    assertEquals(List.of("inactive"), changes(r, "DyingCgroupsHigh"), "pending ended, nothing was firing");
  }

  @Test
  void oneShotTreatsForAsSatisfied() {
    AlertEngine e = engine(Map.of("DyingCgroupsHigh", override(10, 5, Duration.ofHours(1))));
    AlertEngine.Result r = e.evaluate(new EvalInput(Optional.of(dying(12)), Optional.of(clock.instant()), started,
        INTERVAL, OptionalDouble.empty()), true);
    assertEquals(List.of("firing"), states(r, "DyingCgroupsHigh"));
  }

  @Test
  void disabledRulesNeverFireAndDisablingResolves() {
    AlertEngine off = engine(Map.of("DyingCgroupsHigh", new RuleOverride(false, 1.0, 0.0, Duration.ZERO, null)));
    assertEquals(List.of(), states(eval(off, dying(100)), "DyingCgroupsHigh"));
  }

  @Test
  void overridesAndTheirChecks() {
    AlertEngine e = engine(Map.of("OrphanedPageCacheHigh", new RuleOverride(null, 2048.0, null, null, "critical")));
    RuleSettings s = e.settings(HostInfo.UNKNOWN).get("OrphanedPageCacheHigh");
    assertEquals(2048.0, s.threshold());
    assertEquals(2048.0 * 0.8, s.clear(), 1e-9, "a threshold alone moves clear in proportion");
    assertEquals("critical", s.severity());
    assertEquals(Duration.ofMinutes(30), s.forDuration(), "untouched keys keep their default");
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> engine(Map.of("DyingCgroupsHgih", override(1, 0, Duration.ZERO))));
    assertTrue(unknown.getMessage().contains("DyingCgroupsHgih") && unknown.getMessage().contains("DyingCgroupsHigh"));
    assertThrows(IllegalArgumentException.class, () -> engine(Map.of("ScanFailing",
        override(1, 2, Duration.ZERO))).settings(HostInfo.UNKNOWN));
    assertThrows(IllegalArgumentException.class, () -> engine(Map.of("ScanFailing",
        new RuleOverride(null, null, null, null, "page"))).settings(HostInfo.UNKNOWN));
  }

  @Test
  void dyingCgroupsHighDefaultDependsOnTheHost() {
    Map<String, RuleSettings> small = engine(Map.of()).settings(new HostInfo(Optional.empty(), OptionalInt.of(2),
        OptionalLong.of(2L << 30)));
    assertEquals(2995.0, small.get("DyingCgroupsHigh").threshold(), "2% of 2 GiB / (2 KiB x 2 + 10 KiB)");
    Map<String, RuleSettings> big = engine(Map.of()).settings(new HostInfo(Optional.empty(), OptionalInt.of(64),
        OptionalLong.of(256L << 30)));
    assertEquals(20000.0, big.get("DyingCgroupsHigh").threshold(), "never more than 20,000");
    assertEquals(20000.0, engine(Map.of()).settings(HostInfo.UNKNOWN).get("DyingCgroupsHigh").threshold());
  }

  @Test
  void dyingCgroupsGrowingNeedsASteadyRise() {
    AlertEngine e = engine(Map.of("DyingCgroupsGrowing", override(100, 25, Duration.ZERO)));
    AlertEngine.Result r = null;
    for (int minute = 0; minute <= 60; minute += 5) {
      r = eval(e, dying(1000 + 20L * minute)); // +1200 per hour
      clock.advance(Duration.ofMinutes(5));
    }
    assertEquals(List.of("firing"), states(r, "DyingCgroupsGrowing"));
    assertEquals(1200.0, r.active().stream().filter(a -> a.name().equals("DyingCgroupsGrowing")).findFirst()
        .orElseThrow().value(), 1e-6);
    for (int minute = 0; minute <= 60; minute += 5) { // flat for an hour
      r = eval(e, dying(2200));
      clock.advance(Duration.ofMinutes(5));
    }
    assertEquals(List.of(), states(r, "DyingCgroupsGrowing"));
  }

  @Test
  void aSingleJumpIsNotGrowth() {
    AlertEngine e = engine(Map.of("DyingCgroupsGrowing", override(100, 25, Duration.ZERO)));
    AlertEngine.Result r = null;
    for (int minute = 0; minute <= 60; minute += 5) {
      r = eval(e, dying(minute < 30 ? 1000 : 3000)); // one step of 2000 half-way
      assertEquals(List.of(), states(r, "DyingCgroupsGrowing"), "minute " + minute);
      clock.advance(Duration.ofMinutes(5));
    }
  }

  @Test
  void orphanedPageCacheIsPerParent() {
    AlertEngine e = engine(Map.of("OrphanedPageCacheHigh", override(1000, 500, Duration.ZERO)));
    Analysis a = analyzer.analyze(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/big", 2, 0, 5000)
        .cgroup("/small", 3, 0, 100).v1Dying(3).at(clock.instant()));
    AlertEngine.Result r = eval(e, a);
    List<AlertStatus> firing = r.active().stream().filter(x -> x.name().equals("OrphanedPageCacheHigh")).toList();
    assertEquals(List.of("/big"), firing.stream().map(AlertStatus::cgroup).toList());
    assertEquals("memory", firing.get(0).hierarchy());
  }

  @Test
  void memcgIdHeadroomIsCriticalByDefault() {
    AlertEngine e = engine(Map.of("MemcgIdHeadroomLow", override(0.00001, 0.000005, Duration.ZERO)));
    AlertStatus a = eval(e, dying(0)).active().stream().filter(x -> x.name().equals("MemcgIdHeadroomLow"))
        .findFirst().orElseThrow();
    assertEquals("critical", a.severity());
    assertTrue(a.description().contains("of 65535 memory cgroup IDs are in use"), a.description());
  }

  @Test
  void visibleLeaksAreCountedPerParent() {
    Analysis base = dying(0);
    Analysis leaky = new Analysis(base.snapshot(), base.orphaned(), base.hostOrphaned(), base.stillDying(),
        base.memcgIds(),
        List.of(leak("/system.slice/a.scope"), leak("/system.slice/b.scope"), leak("/user.slice/c.scope")),
        Duration.ofHours(1), Optional.empty(), List.of());
    AlertEngine e = engine(Map.of("VisibleCgroupLeak", override(1, 0, Duration.ZERO)));
    List<AlertStatus> firing = eval(e, leaky).active().stream().filter(x -> x.name().equals("VisibleCgroupLeak"))
        .toList();
    assertEquals(List.of("/system.slice"), firing.stream().map(AlertStatus::cgroup).toList());
    assertEquals(2.0, firing.get(0).value());
  }

  private VisibleLeak leak(String path) {
    return new VisibleLeak("unified", path, clock.instant().minus(Duration.ofHours(2)), Duration.ofHours(2));
  }

  @Test
  void kernelStatReadSlowUsesTheRootReadTime() {
    AlertEngine e = engine(Map.of("KernelStatReadSlow", override(0.1, 0.05, Duration.ZERO)));
    AlertEngine.Result r = e.evaluate(new EvalInput(Optional.of(dying(0)), Optional.of(clock.instant()), started,
        INTERVAL, OptionalDouble.of(0.4)), false);
    assertEquals(List.of("firing"), states(r, "KernelStatReadSlow"));
    r = e.evaluate(new EvalInput(Optional.of(dying(0)), Optional.of(clock.instant()), started, INTERVAL,
        OptionalDouble.of(0.07)), false);
    assertEquals(List.of("firing"), states(r, "KernelStatReadSlow"), "70 ms is above clear (50 ms)");
    r = e.evaluate(new EvalInput(Optional.of(dying(0)), Optional.of(clock.instant()), started, INTERVAL,
        OptionalDouble.of(0.01)), false);
    assertEquals(List.of("resolved"), changes(r, "KernelStatReadSlow"));
  }

  @Test
  void scanFailingFiresAfterThreeIntervalsWithoutSuccessAndIsCritical() {
    AlertEngine e = engine(Map.of());
    Analysis a = dying(0);
    Instant success = clock.instant();
    clock.advance(INTERVAL.multipliedBy(3));
    AlertEngine.Result r = e.evaluate(new EvalInput(Optional.of(a), Optional.of(success), started, INTERVAL,
        OptionalDouble.empty()), false);
    assertEquals(List.of(), states(r, "ScanFailing"), "exactly 3 intervals is not yet more than 3");
    clock.advance(Duration.ofSeconds(1));
    r = e.evaluate(new EvalInput(Optional.of(a), Optional.of(success), started, INTERVAL, OptionalDouble.empty()),
        false);
    assertEquals(List.of("firing"), states(r, "ScanFailing"));
    assertEquals("critical", r.active().stream().filter(x -> x.name().equals("ScanFailing")).findFirst()
        .orElseThrow().severity());
    r = e.evaluate(new EvalInput(Optional.of(a), Optional.of(clock.instant()), started, INTERVAL,
        OptionalDouble.empty()), false);
    assertEquals(List.of("resolved"), changes(r, "ScanFailing"));
  }

  @Test
  void scanFailingCountsFromStartWhenNoScanEverSucceeded() {
    AlertEngine e = engine(Map.of());
    clock.advance(INTERVAL.multipliedBy(4));
    AlertEngine.Result r = e.evaluate(new EvalInput(Optional.empty(), Optional.empty(), started, INTERVAL,
        OptionalDouble.empty()), false);
    assertEquals(List.of("firing"), states(r, "ScanFailing"));
  }
}
