package io.cgwatch.agent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.ParentLifecycle;
import io.cgwatch.model.Zombie;
import io.cgwatch.agent.replay.CapturedInodes;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline (reader → estimators → tracker) over a real timeline from a Debian 6.1 kernel
 * (fixtures/timelines/v2-6.1-jobs): four jobs read 8, 4, 2 and 0 MiB, are removed, the parent is reclaimed
 * until the kernel freed two of them (job-3 and job-empty; fincore showed job-1 and job-2 still had cached
 * pages), cron.service is recreated, then everything is released.
 */
class TimelineTest {
  private static final long MIB = 1 << 20;
  private static final List<Analysis> STEPS = new ArrayList<>();

  @BeforeAll
  static void replay() throws Exception {
    Path timeline = Fixtures.dir().resolve("timelines/v2-6.1-jobs");
    ManualClock clock = new ManualClock(Instant.EPOCH);
    Analyzer analyzer = new Analyzer(clock, TrackerSettings.DEFAULTS, Duration.ofHours(1));
    for (String step : List.of("t0", "t1", "t2", "t3", "t4")) {
      Path root = timeline.resolve(step);
      Instant capturedAt = capturedAt(root);
      clock.advance(Duration.between(clock.instant(), capturedAt));
      STEPS.add(analyzer.analyze(new CgroupScanner(new CapturedInodes(root))
          .scan(HostRoots.of(root), ScanOptions.DEFAULTS, clock)));
    }
  }

  private static Instant capturedAt(Path root) throws Exception {
    return Files.readAllLines(root.resolve("CAPTURED")).stream().filter(l -> l.startsWith("captured_at_utc: "))
        .map(l -> Instant.parse(l.substring("captured_at_utc: ".length()))).findFirst().orElseThrow();
  }

  private static LifecycleView lifecycle(int step) {
    return STEPS.get(step).lifecycle().orElseThrow();
  }

  private static List<String> zombies(int step) {
    return lifecycle(step).zombies().stream().map(Zombie::path).toList();
  }

  private static ParentLifecycle jobs(int step) {
    return lifecycle(step).parents().stream().filter(p -> p.path().equals("/jobs")).findFirst().orElseThrow();
  }

  private static OptionalLong orphanedFile(int step, String path) {
    return STEPS.get(step).orphaned().stream().filter(o -> o.path().equals(path)).findFirst()
        .map(OrphanedMemory::bytes).map(b -> b.fileBytes()).orElse(OptionalLong.empty());
  }

  @Test
  void firstSampleHasNoLifecycleYet() {
    assertEquals(false, STEPS.get(0).lifecycle().isPresent());
  }

  @Test
  void fourJobsAreBorn() {
    assertEquals(4, lifecycle(1).created());
    assertEquals(4, jobs(1).created());
    assertEquals(0, lifecycle(1).removed());
  }

  @Test
  void afterRmdirTheThreeJobsWithPageCacheAreZombiesWithTheirChargesAtDeath() {
    assertEquals(4, lifecycle(2).removed());
    assertEquals(List.of("/jobs/job-1", "/jobs/job-2", "/jobs/job-3"), zombies(2),
        "the kernel counts 3 dying: job-empty, which charged no page cache, is taken as freed");
    assertEquals(List.of(8 * MIB, 4 * MIB, 2 * MIB), lifecycle(2).zombies().stream()
        .map(z -> z.chargesAtDeath().fileBytes().getAsLong()).toList());
    assertEquals(List.of(195L, 234L, 273L), lifecycle(2).zombies().stream().map(Zombie::inode).toList(),
        "the inodes the jobs had on the kernel");
    assertEquals(3, jobs(2).zombies());
    assertEquals(OptionalLong.of(0), jobs(2).unknownOriginDying());
    assertEquals(OptionalLong.of(14 * MIB), orphanedFile(2, "/jobs"), "8 + 4 + 2 MiB left behind");
  }

  @Test
  void afterPartialReclaimTheZombiesLeftAreTheOnesTheKernelStillHeld() {
    assertEquals(List.of("/jobs/job-1", "/jobs/job-2"), zombies(3));
    assertEquals(2, jobs(3).reapLag().count(), "job-empty and job-3");
    assertEquals(OptionalLong.of(3055616), orphanedFile(3, "/jobs"), "587 + 159 cached pages, as fincore said");
  }

  @Test
  void recreatingCronServiceIsSeenAsARecreation() {
    assertEquals(1, lifecycle(3).recreated());
    assertEquals(5, lifecycle(3).removed());
    assertEquals(5, lifecycle(3).created());
  }

  @Test
  void afterTheCacheIsDroppedNoZombieIsLeft() {
    assertEquals(List.of(), zombies(4));
    assertEquals(4, jobs(4).reapLag().count());
    assertEquals(OptionalLong.of(0), orphanedFile(4, "/jobs"));
    assertEquals(0, lifecycle(4).unknownOriginDying());
  }
}
