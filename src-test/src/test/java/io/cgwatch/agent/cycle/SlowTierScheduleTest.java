package io.cgwatch.agent.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.alert.AlertEngine;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What serve's {@code --slow-tier-every N} means to a user: a limit changed on the host shows within N scans
 * (carried, unchanged, before), while memory.current, in the fast tier, moves at the next scan; with N = 1 (the
 * one-shot commands) every scan reads everything.
 */
class SlowTierScheduleTest {
  private static final String SSH = "/system.slice/ssh.service";
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T21:00:00Z"));

  private ScanCycle cycle(int slowTierEvery) {
    return new ScanCycle(clock, () -> 0L, ScanOptions.DEFAULTS, new Analyzer(clock, TrackerSettings.DEFAULTS,
        Duration.ofHours(1)), new AlertEngine(clock, Map.of()), false, List.of(), Duration.ofSeconds(15),
        Duration.ofMillis(100), "test", null, ScanGuard.NONE, ScanCycle.FILE_READ_BOUNDS, slowTierEvery);
  }

  @Test
  void aChangedLimitShowsAtTheNextSlowTierScanAndUsageAtOnce(@TempDir Path tmp) throws IOException {
    List<String> seen = scansAfterAChange(tmp, 3);
    // scan 1 read everything; the change lands before scan 2; scans 2 and 3 carry; scan 4 reads the slow tier
    assertEquals(List.of("max=old current=old", "max=old current=new", "max=old current=new",
        "max=new current=new", "max=new current=new"), seen);
  }

  @Test
  void everyScanReadsEverythingWhenTheSlowTierIsReadEveryScan(@TempDir Path tmp) throws IOException {
    assertEquals(List.of("max=old current=old", "max=new current=new", "max=new current=new",
        "max=new current=new", "max=new current=new"), scansAfterAChange(tmp, 1));
  }

  private List<String> scansAfterAChange(Path tmp, int slowTierEvery) throws IOException {
    Fixtures.copyTree(Fixtures.host("unified-6.1-dying"), tmp);
    Path ssh = tmp.resolve("sys/fs/cgroup" + SSH);
    Files.writeString(ssh.resolve("memory.max"), "1000000\n");
    Files.writeString(ssh.resolve("memory.current"), "1000\n");
    ScanCycle c = cycle(slowTierEvery);
    List<String> seen = new ArrayList<>();
    for (int scan = 1; scan <= 5; scan++) {
      if (scan == 2) {
        Files.writeString(ssh.resolve("memory.max"), "2000000\n");
        Files.writeString(ssh.resolve("memory.current"), "2000\n");
      }
      Publication p = c.run(HostRoots.of(tmp), new NioControlFiles());
      CgroupSnapshot s = p.analysis().orElseThrow().snapshot().cgroups().stream()
          .filter(g -> g.path().equals(SSH)).findFirst().orElseThrow();
      long max = s.memory().orElseThrow().max().orElseThrow().value();
      long current = s.memory().orElseThrow().currentBytes().getAsLong();
      seen.add("max=" + (max == 1000000 ? "old" : "new") + " current=" + (current == 1000 ? "old" : "new"));
      clock.advance(Duration.ofSeconds(15));
    }
    return seen;
  }
}
