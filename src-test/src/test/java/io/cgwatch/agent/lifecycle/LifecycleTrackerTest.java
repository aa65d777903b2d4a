package io.cgwatch.agent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.ParentLifecycle;
import io.cgwatch.model.Zombie;
import io.cgwatch.model.ZombieBound;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.support.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LifecycleTrackerTest {
  private static final long MIB = 1 << 20;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final LifecycleTracker tracker = new LifecycleTracker(clock, TrackerSettings.DEFAULTS);

  private LifecycleView observe(Snapshots s) {
    return tracker.observe(s.at(clock.instant()));
  }

  private void tick() {
    clock.advance(Duration.ofSeconds(15));
  }

  @Test
  void cgroupsPresentAtStartAreSeenNotBorn() {
    LifecycleView v = observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/a", 2, 0, 0));
    assertEquals(0, v.created());
    assertEquals(1, v.observations());
  }

  @Test
  void removedChildrenWithPageCacheBecomeZombiesWithTheirChargesAtDeath() {
    observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0));
    tick();
    observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).cgroup("/jobs/job-1", 10, 0, 8 * MIB)
        .cgroup("/jobs/job-2", 11, 0, 2 * MIB));
    tick();
    LifecycleView v = observe(Snapshots.v2().cgroup("/", 1, 2, 0).cgroup("/jobs", 2, 2, 0));
    assertEquals(2, v.created());
    assertEquals(2, v.removed());
    assertEquals(List.of("/jobs/job-1", "/jobs/job-2"), v.zombies().stream().map(Zombie::path).toList());
    Zombie z = v.zombies().get(0);
    assertEquals(OptionalLong.of(8 * MIB), z.chargesAtDeath().fileBytes());
    assertEquals(10, z.inode());
    assertEquals("subtree", z.attribution());
    assertEquals(clock.instant().minusSeconds(15), z.lastSeenAlive());
    assertEquals(clock.instant(), z.removedAt());
    ParentLifecycle jobs = parent(v, "/jobs");
    assertEquals(2, jobs.zombies());
    assertEquals(OptionalLong.of(10 * MIB), jobs.zombieChargesAtDeath().fileBytes());
    assertEquals(0, v.unknownOriginDying());
  }

  @Test
  void whenTheCountFallsTheSmallestPageCacheIsFreedFirstAndItsReapLagRecorded() {
    observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).cgroup("/jobs/big", 10, 0, 8 * MIB)
        .cgroup("/jobs/small", 11, 0, 2 * MIB));
    tick();
    observe(Snapshots.v2().cgroup("/", 1, 2, 0).cgroup("/jobs", 2, 2, 0));
    clock.advance(Duration.ofSeconds(40));
    LifecycleView v = observe(Snapshots.v2().cgroup("/", 1, 1, 0).cgroup("/jobs", 2, 1, 0));
    assertEquals(List.of("/jobs/big"), v.zombies().stream().map(Zombie::path).toList());
    ParentLifecycle jobs = parent(v, "/jobs");
    assertEquals(1, jobs.reapLag().count());
    assertEquals(40.0, jobs.reapLag().sumSeconds(), 1e-9);
    assertEquals(0L, jobs.reapLag().cumulativeCounts().get(1), "not within 10 s");
    assertEquals(1L, jobs.reapLag().cumulativeCounts().get(2), "within 60 s");
    assertEquals(Duration.ofSeconds(40), jobs.oldestZombieAge().orElseThrow());
  }

  @Test
  void dyingBeyondWhatWasSeenIsUnknownOrigin() {
    observe(Snapshots.v2().cgroup("/", 1, 3, 0).cgroup("/jobs", 2, 3, 0).cgroup("/jobs/a", 10, 0, MIB));
    tick();
    LifecycleView v = observe(Snapshots.v2().cgroup("/", 1, 4, 0).cgroup("/jobs", 2, 4, 0));
    assertEquals(1, v.zombies().size());
    assertEquals(3, v.unknownOriginDying());
    assertEquals(OptionalLong.of(3), parent(v, "/jobs").unknownOriginDying());
  }

  @Test
  void deeperCountsDecideBeforeTheirAncestors() {
    // /a/x (1 MiB) and /b/y (9 MiB) removed; then /a says 1 dying and /b says 0: y must be freed although it
    // has more page cache, because its own parent says so.
    observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/a", 2, 0, 0).cgroup("/a/x", 3, 0, MIB)
        .cgroup("/b", 4, 0, 0).cgroup("/b/y", 5, 0, 9 * MIB));
    tick();
    LifecycleView v = observe(Snapshots.v2().cgroup("/", 1, 1, 0).cgroup("/a", 2, 1, 0).cgroup("/b", 4, 0, 0));
    assertEquals(List.of("/a/x"), v.zombies().stream().map(Zombie::path).toList());
  }

  @Test
  void recreationIsARemovalAndABirthAndKeepsTheOldChargesOnTheTombstone() {
    observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/svc", 2, 0, 5 * MIB));
    tick();
    LifecycleView v = observe(Snapshots.v2().cgroup("/", 1, 1, 0).cgroup("/svc", 3, 0, 0));
    assertEquals(1, v.recreated());
    assertEquals(1, v.created());
    assertEquals(1, v.removed());
    Zombie z = v.zombies().get(0);
    assertEquals(2, z.inode(), "the zombie is the old inode");
    assertEquals(OptionalLong.of(5 * MIB), z.chargesAtDeath().fileBytes());
    assertEquals(1, parent(v, "/").recreated());
  }

  @Test
  void v1AttributesAcrossTheWholeHierarchy() {
    observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/p", 2, 0, 0).cgroup("/p/a", 3, 0, 4 * MIB)
        .cgroup("/q", 4, 0, 0).cgroup("/q/b", 5, 0, MIB).v1Dying(20));
    tick();
    LifecycleView v = observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/p", 2, 0, 0).cgroup("/q", 4, 0, 0)
        .v1Dying(21));
    assertEquals(List.of("/p/a"), v.zombies().stream().map(Zombie::path).toList(),
        "the count rose by 1 for 2 removals: the 1 MiB one went first");
    assertTrue(v.zombies().stream().allMatch(z -> z.attribution().equals("hierarchy")));
    assertEquals(20, v.unknownOriginDying(), "the 20 dying before cgwatch watched");
    tick();
    v = observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/p", 2, 0, 0).cgroup("/q", 4, 0, 0).v1Dying(20));
    assertEquals(List.of(), v.zombies(), "back to the count before: the watched removal went, not an old one");
    assertEquals(20, v.unknownOriginDying());
    tick();
    v = observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/p", 2, 0, 0).cgroup("/q", 4, 0, 0).v1Dying(1));
    assertEquals(1, v.unknownOriginDying());
  }

  @Test
  void v1NeverNamesAnEmptyCgroupAndBoundsTheRest() {
    // The case: more dying host-wide (50) than cgwatch saw removed; one removed cgroup held 0 bytes.
    observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).cgroup("/jobs/a", 3, 0, 8 * MIB)
        .cgroup("/jobs/b", 4, 0, 2 * MIB).empty("/jobs/empty", 5).v1Dying(50));
    tick();
    LifecycleView v = observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).v1Dying(53));
    assertEquals(List.of("/jobs/a", "/jobs/b"), v.zombies().stream().map(Zombie::path).toList());
    ZombieBound b = v.bounds().get(0);
    assertEquals(new ZombieBound("memory", 2, 2, 53, 51, 1), b, "51: 50 old and 1 more than the 2 named");
    assertEquals(51, v.unknownOriginDying());
    tick();
    v = observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).v1Dying(52));
    assertEquals(List.of("/jobs/a"), v.zombies().stream().map(Zombie::path).toList(),
        "a fall frees a watched removal before one of unknown origin, smallest page cache first");
    assertEquals(51, v.unknownOriginDying());
  }

  @Test
  void v1JobsBornAndGoneBetweenScansAreUnknownOrigin() {
    observe(Snapshots.v1().cgroup("/", 1, 0, 0).v1Dying(0));
    tick();
    LifecycleView v = observe(Snapshots.v1().cgroup("/", 1, 0, 0).v1Dying(7)); // never seen alive
    assertEquals(List.of(), v.zombies());
    assertEquals(new ZombieBound("memory", 0, 0, 7, 7, 0), v.bounds().get(0));
  }

  @Test
  void aCgroupThatVanishedMidScanIsNotFreedInThatScan() {
    observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).cgroup("/jobs/a", 3, 0, 4 * MIB));
    tick();
    // /jobs/a went while the scan read it, after /jobs' cgroup.stat said 0 dying: the count does not have it yet
    LifecycleView v = observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/jobs", 2, 0, 0).vanished(1));
    assertEquals(List.of("/jobs/a"), v.zombies().stream().map(Zombie::path).toList(), "removed, not freed");
    assertEquals(0, parent(v, "/jobs").reapLag().count(), "no reap lag of 0.0 s recorded");
    tick();
    v = observe(Snapshots.v2().cgroup("/", 1, 1, 0).cgroup("/jobs", 2, 1, 0)); // the next scan counts it dying
    assertEquals(List.of("/jobs/a"), v.zombies().stream().map(Zombie::path).toList(), "and not lost");
    assertEquals(OptionalLong.of(0), parent(v, "/jobs").unknownOriginDying());
  }

  @Test
  void v1ACgroupThatVanishedMidScanStaysAZombie() {
    observe(Snapshots.v1().cgroup("/", 1, 0, 0).cgroup("/a", 2, 0, 4 * MIB).v1Dying(3));
    tick();
    // the reader counts a directory gone before its files were read as dying, so the count has it: 3 + 1
    LifecycleView v = observe(Snapshots.v1().cgroup("/", 1, 0, 0).vanished(1).v1Dying(4));
    assertEquals(List.of("/a"), v.zombies().stream().map(Zombie::path).toList());
    assertEquals(3, v.unknownOriginDying());
    tick();
    v = observe(Snapshots.v1().cgroup("/", 1, 0, 0).v1Dying(4));
    assertEquals(List.of("/a"), v.zombies().stream().map(Zombie::path).toList(), "not lost the scan after");
  }

  @Test
  void tombstonesExpireExactlyAtTheRetention() {
    LifecycleTracker t = new LifecycleTracker(clock, new TrackerSettings(Duration.ofMinutes(10), 100));
    t.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/a", 2, 0, MIB).at(clock.instant()));
    tick();
    Instant removedAt = clock.instant();
    assertEquals(1, t.observe(Snapshots.v2().cgroup("/", 1, 1, 0).at(clock.instant())).tombstones());
    clock.advance(Duration.ofMinutes(10).minusNanos(1));
    LifecycleView before = t.observe(Snapshots.v2().cgroup("/", 1, 1, 0).at(clock.instant()));
    assertEquals(1, before.tombstones());
    assertEquals(1, before.zombies().size());
    clock.advance(Duration.ofNanos(1));
    assertEquals(removedAt.plus(Duration.ofMinutes(10)), clock.instant());
    LifecycleView after = t.observe(Snapshots.v2().cgroup("/", 1, 1, 0).at(clock.instant()));
    assertEquals(0, after.tombstones());
    assertEquals(1, after.tombstonesExpired());
    assertEquals(1, after.unknownOriginDying(), "still dying in the kernel, now of unknown origin");
  }

  @Test
  void theBoundDropsTheOldestFirstAndCountsThem() {
    LifecycleTracker t = new LifecycleTracker(clock, new TrackerSettings(Duration.ofHours(24), 2));
    t.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/a", 2, 0, 0).cgroup("/b", 3, 0, 0).cgroup("/c", 4, 0, 0)
        .at(clock.instant()));
    tick();
    t.observe(Snapshots.v2().cgroup("/", 1, 1, 0).cgroup("/b", 3, 0, 0).cgroup("/c", 4, 0, 0).at(clock.instant()));
    tick();
    LifecycleView v = t.observe(Snapshots.v2().cgroup("/", 1, 3, 0).at(clock.instant()));
    assertEquals(2, v.tombstones());
    assertEquals(1, v.tombstonesDropped());
    assertEquals(List.of("/b", "/c"), v.zombies().stream().map(Zombie::path).toList());
  }

  @Test
  void countersOfAGoneParentAreForgottenOnceItsTombstonesExpire() {
    LifecycleTracker t = new LifecycleTracker(clock, new TrackerSettings(Duration.ofMinutes(10), 100));
    t.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/pod", 2, 0, 0).at(clock.instant()));
    tick();
    t.observe(Snapshots.v2().cgroup("/", 1, 0, 0).cgroup("/pod", 2, 0, 0).cgroup("/pod/c", 3, 0, 0)
        .at(clock.instant()));
    tick();
    LifecycleView gone = t.observe(Snapshots.v2().cgroup("/", 1, 0, 0).at(clock.instant()));
    assertTrue(gone.parents().stream().anyMatch(p -> p.path().equals("/pod")), "remembered while /pod/c's "
        + "tombstone is kept");
    clock.advance(Duration.ofMinutes(11));
    LifecycleView later = t.observe(Snapshots.v2().cgroup("/", 1, 0, 0).at(clock.instant()));
    assertTrue(later.parents().stream().noneMatch(p -> p.path().equals("/pod")), later.parents().toString());
    assertEquals(2, later.removed(), "the totals stay");
  }

  private static ParentLifecycle parent(LifecycleView v, String path) {
    return v.parents().stream().filter(p -> p.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no parent " + path + " in " + v.parents()));
  }
}
