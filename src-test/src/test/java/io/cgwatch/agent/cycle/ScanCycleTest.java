package io.cgwatch.agent.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.alert.AlertEngine;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.support.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one pipeline: what a failed, an unusable and a given-up scan leave in the publication and the history. */
class ScanCycleTest {
  private static final HostRoots DYING = HostRoots.of(Fixtures.host("unified-6.1-dying"));
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));

  private ScanCycle cycle(ScanGuard guard) {
    return new ScanCycle(clock, () -> 0L, ScanOptions.DEFAULTS, new Analyzer(clock, TrackerSettings.DEFAULTS,
        Duration.ofHours(1)), new AlertEngine(clock, Map.of()), false, List.of(), Duration.ofSeconds(15),
        Duration.ofMillis(100), "test", null, guard, ScanCycle.FILE_READ_BOUNDS);
  }

  @Test
  void anUnusableScanIsAFailureThatTheHistoryNeverSees(@TempDir Path empty) {
    HostTree.withMountinfo(empty, "22 27 0:21 / /proc rw,relatime - proc proc rw\n");
    ScanCycle c = cycle(ScanGuard.NONE);
    Publication first = c.run(DYING, new NioControlFiles());
    clock.advance(Duration.ofSeconds(15));
    Publication unusable = c.run(HostRoots.of(empty), new NioControlFiles());
    assertEquals(Optional.of("no cgroup hierarchy found"), unusable.failure());
    assertEquals(first.analysis(), unusable.analysis().map(a -> a.withAlerts(first.analysis().get().alerts())),
        "the last usable analysis is kept");
    assertEquals("unknown", unusable.scanned().orElseThrow().verdict(), "diagnose still reports what it saw");
    assertEquals(1, unusable.self().scansFailed());
    clock.advance(Duration.ofSeconds(15));
    Publication again = c.run(DYING, new NioControlFiles());
    assertEquals(0, again.analysis().orElseThrow().lifecycle().orElseThrow().removed(),
        "the empty scan did not count every cgroup as removed");
    assertEquals(2, again.self().scansSucceeded());
  }

  @Test
  void aScanTheGuardGivesUpOnIsCountedAsATimeoutAndDoesNotCountAsReturned() {
    RuntimeException stuck = new RuntimeException("stuck");
    ScanGuard givesUp = new ScanGuard() {
      @Override
      public HostSnapshot scan(Supplier<HostSnapshot> scan) {
        throw stuck;
      }

      @Override
      public Optional<String> gaveUp(Throwable e) {
        return e == stuck ? Optional.of("memory.stat") : Optional.empty();
      }
    };
    ScanCycle c = cycle(givesUp);
    Instant start = c.lastReturned();
    clock.advance(Duration.ofSeconds(15));
    Publication p = c.run(DYING, new NioControlFiles());
    assertTrue(p.failure().isPresent());
    assertTrue(p.analysis().isEmpty() && p.scanned().isEmpty());
    assertEquals(Map.of("timeout", 1L), p.self().errorsTotal().get("memory.stat"));
    assertEquals(start, c.lastReturned(), "a scan given up on did not return");
    Publication ok = cycle(ScanGuard.NONE).run(DYING, new NioControlFiles());
    assertTrue(ok.failure().isEmpty() && ok.analysis().isPresent() && ok.lastSuccess().isPresent());
  }
}
