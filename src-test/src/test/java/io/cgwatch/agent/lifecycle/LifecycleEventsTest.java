package io.cgwatch.agent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.ManualClock;
import io.cgwatch.model.CgroupEvent;
import io.cgwatch.model.Charges;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.Zombie;
import io.cgwatch.support.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The tracker fed with a watcher's events between two snapshots (a fake event stream, a fixed clock): cgroups that
 * lived entirely between two polls are born, die with the charges read at {@code populated 0}, and are attributed
 * to their former paths; without the events the same host only shows dying cgroups of unknown origin.
 */
class LifecycleEventsTest {
  private static final long MIB = 1 << 20;
  private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private final LifecycleTracker tracker = new LifecycleTracker(clock, TrackerSettings.DEFAULTS);

  private static CgroupEvent created(int second, String hierarchy, String path, long inode) {
    return new CgroupEvent(T0.plusSeconds(second), CgroupEvent.Kind.CREATED, hierarchy, path, inode,
        Optional.of(file(0)));
  }

  private static CgroupEvent unpopulated(int second, String path, long inode, long fileBytes) {
    return new CgroupEvent(T0.plusSeconds(second), CgroupEvent.Kind.UNPOPULATED, "unified", path, inode,
        Optional.of(file(fileBytes)));
  }

  private static CgroupEvent removed(int second, String hierarchy, String path, long inode) {
    return new CgroupEvent(T0.plusSeconds(second), CgroupEvent.Kind.REMOVED, hierarchy, path, inode,
        Optional.empty());
  }

  private static Charges file(long bytes) {
    return new Charges(OptionalLong.of(bytes + 4096), OptionalLong.of(bytes), OptionalLong.of(0), OptionalLong.of(0),
        OptionalLong.of(0), OptionalLong.of(0), OptionalLong.of(0));
  }

  /** {@code n} jobs under /jobs, each made, charged {@code (i + 1)} MiB, emptied and removed within seconds 1-14. */
  private static List<CgroupEvent> shortJobs(int n) {
    List<CgroupEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String path = "/jobs/job-" + i;
      long inode = 100 + i;
      out.add(created(1, "unified", path, inode));
      out.add(unpopulated(2, path, inode, (i + 1) * MIB));
      out.add(removed(3, "unified", path, inode));
    }
    return out;
  }

  @Test
  void jobsThatLivedBetweenTwoPollsAreAttributedToTheirPathsWithTheChargesAtPopulated0() {
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).at(T0));
    clock.advance(Duration.ofSeconds(15));
    LifecycleView v = tracker.observe(Snapshots.v2().cgroup("/", 1, 20, 0).cgroup("/jobs", 2, 20, 0)
        .at(clock.instant()), shortJobs(20));

    assertEquals(20, v.created());
    assertEquals(20, v.removed());
    assertEquals(20, v.zombies().size(), "every removal the kernel still counts is named");
    assertEquals(0, v.unknownOriginDying());
    Zombie z = v.zombies().stream().filter(x -> x.path().equals("/jobs/job-7")).findFirst().orElseThrow();
    assertEquals(OptionalLong.of(8 * MIB), z.chargesAtDeath().fileBytes(), "read at populated 0, not 0 at birth");
    assertEquals("populated_0", z.chargesFrom());
    assertEquals(T0.plusSeconds(3), z.removedAt(), "when the rmdir was seen, not the poll after it");
    assertEquals(T0.plusSeconds(2), z.lastSeenAlive());
    assertEquals(107, z.inode());
    assertEquals("subtree", z.attribution());
  }

  @Test
  void withoutTheEventsTheSameHostOnlyShowsDyingOfUnknownOrigin() {
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).at(T0));
    clock.advance(Duration.ofSeconds(15));
    LifecycleView v = tracker.observe(Snapshots.v2().cgroup("/", 1, 20, 0).cgroup("/jobs", 2, 20, 0)
        .at(clock.instant()));
    assertEquals(0, v.created());
    assertEquals(List.of(), v.zombies());
    assertEquals(20, v.unknownOriginDying());
  }

  @Test
  void whenTheKernelFreedSomeTheSmallestPageCacheAtPopulated0GoesFirst() {
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).at(T0));
    clock.advance(Duration.ofSeconds(15));
    LifecycleView v = tracker.observe(Snapshots.v2().cgroup("/", 1, 18, 0).cgroup("/jobs", 2, 18, 0)
        .at(clock.instant()), shortJobs(20));
    assertEquals(18, v.zombies().size());
    assertTrue(v.zombies().stream().noneMatch(z -> z.path().equals("/jobs/job-0") || z.path().equals("/jobs/job-1")),
        "job-0 (1 MiB) and job-1 (2 MiB) are the ones taken as freed");
  }

  @Test
  void attributionHoldsUnderAParentThatWasItselfBornBetweenThePolls() {
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).at(T0));
    clock.advance(Duration.ofSeconds(15));
    List<CgroupEvent> events = List.of(created(1, "unified", "/ci", 50), created(2, "unified", "/ci/run", 51),
        unpopulated(3, "/ci/run", 51, 5 * MIB), removed(4, "unified", "/ci/run", 51));
    LifecycleView v = tracker.observe(Snapshots.v2().cgroup("/", 1, 1, 0).cgroup("/ci", 50, 1, 0)
        .at(clock.instant()), events);
    assertEquals(List.of("/ci/run"), v.zombies().stream().map(Zombie::path).toList());
    assertEquals(2, v.created(), "/ci and /ci/run, each once although the scan saw /ci too");
    assertEquals(0, v.unknownOriginDying());
  }

  @Test
  void theChargesAtPopulated0AreKeptWhileTheCgroupStaysEmptyAndDroppedWhenItIsPopulatedAgain() {
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/a", 2, 0, 9 * MIB).cgroup("/b", 3, 0, 9 * MIB)
        .at(T0));
    clock.advance(Duration.ofSeconds(15));
    // both emptied with 9 MiB; then the scan finds /a still empty (reclaim took some), /b running again
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/a", 2, 0, MIB).populated(false)
        .cgroup("/b", 3, 0, MIB).populated(true).at(clock.instant()),
        List.of(unpopulated(5, "/a", 2, 9 * MIB), unpopulated(5, "/b", 3, 9 * MIB)));
    clock.advance(Duration.ofSeconds(15));
    LifecycleView v = tracker.observe(Snapshots.v2().cgroup("/", 1, 2, 0).at(clock.instant()));
    Zombie a = v.zombies().get(0);
    Zombie b = v.zombies().get(1);
    assertEquals("/a", a.path());
    assertEquals(OptionalLong.of(9 * MIB), a.chargesAtDeath().fileBytes());
    assertEquals("populated_0", a.chargesFrom());
    assertEquals(OptionalLong.of(MIB), b.chargesAtDeath().fileBytes());
    assertEquals("last_poll", b.chargesFrom());
  }

  @Test
  void anEventForACgroupTheScanAlreadySawAddsNothing() {
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).at(T0));
    clock.advance(Duration.ofSeconds(15));
    // made during the scan: the scan saw it, its event is drained before the next scan
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/x", 7, 0, 0).at(clock.instant()));
    clock.advance(Duration.ofSeconds(15));
    LifecycleView v = tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/x", 7, 0, 0)
        .at(clock.instant()), List.of(created(16, "unified", "/x", 7)));
    assertEquals(1, v.created());
  }

  @Test
  void removedAndMadeAgainBetweenThePollsIsARecreationAsAScanWouldSeeIt() {
    tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/svc", 2, 0, 3 * MIB).at(T0));
    clock.advance(Duration.ofSeconds(15));
    LifecycleView v = tracker.observe(Snapshots.v2().cgroup("/", 1, 1, 0).cgroup("/svc", 3, 0, 0)
        .at(clock.instant()), List.of(removed(4, "unified", "/svc", 2), created(5, "unified", "/svc", 3)));
    assertEquals(1, v.recreated());
    assertEquals(1, v.created());
    assertEquals(1, v.removed());
    assertEquals(2, v.zombies().get(0).inode());
    assertEquals(OptionalLong.of(3 * MIB), v.zombies().get(0).chargesAtDeath().fileBytes(), "the last poll's");
  }

  @Test
  void v1NeverNamesACgroupOnlyTheWatcherSawItsRiseStaysOfUnknownOrigin() {
    tracker.observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).v1Dying(5).at(T0));
    clock.advance(Duration.ofSeconds(15));
    List<CgroupEvent> events = List.of(created(1, "memory", "/jobs/a", 10), removed(2, "memory", "/jobs/a", 10),
        created(3, "memory", "/jobs/b", 11), removed(4, "memory", "/jobs/b", 11));
    LifecycleView v = tracker.observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).v1Dying(7)
        .at(clock.instant()), events);
    assertEquals(2, v.created());
    assertEquals(2, v.removed());
    assertEquals(List.of(), v.zombies(), "no charge at death was read: never named on v1");
    assertEquals(7, v.unknownOriginDying());
    assertEquals(0, v.bounds().get(0).removedEmpty(), "not known to be empty either");
  }

  @Test
  void eventsBeforeTheFirstSnapshotAreIgnored() {
    LifecycleView v = tracker.observe(Snapshots.v2().cgroup("/", 1, 0, 0).at(T0),
        List.of(created(0, "unified", "/early", 9), removed(0, "unified", "/early", 9)));
    assertEquals(0, v.created());
    assertEquals(0, v.removed());
  }
}
