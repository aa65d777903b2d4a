package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.model.CgroupEvent;
import io.cgwatch.model.WatchStats;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher on a copy of a fixture host (unified-6.1-clean) in a temporary directory: inotify works there as on
 * cgroupfs, and the test plays the kernel, making directories and writing {@code cgroup.events} and
 * {@code memory.stat}. The waits are bounds for an asynchronous thread (20 s), not timed assertions.
 */
class CgroupWatcherTest {
  private static final long MIB = 1 << 20;
  private static final long WAIT_NANOS = 20_000_000_000L;

  @TempDir
  Path tmp;

  private Path copyHost(String name) throws IOException {
    Path host = tmp.resolve(name);
    Fixtures.copyTree(Fixtures.host(name), host);
    return host;
  }

  private static CgroupWatcher started(Path host, int maxWatches, int queue) throws InterruptedException {
    return started(host, maxWatches, queue, ScanOptions.UNLIMITED_DEPTH);
  }

  private static CgroupWatcher started(Path host, int maxWatches, int queue, int maxDepth)
      throws InterruptedException {
    CgroupWatcher w = new CgroupWatcher(HostRoots.of(host), new NioControlFiles(), Clock.systemUTC(), maxWatches,
        queue, maxDepth);
    w.start();
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!w.ready() && !w.stats().fallbackActive()) {
      if (System.nanoTime() > deadline) {
        fail("the watcher did not register the tree within 20 s");
      }
      Thread.sleep(10);
    }
    return w;
  }

  /** Drains until {@code done} holds for everything drained so far. */
  private static List<CgroupEvent> awaitEvents(CgroupWatcher w, List<CgroupEvent> seen,
      Predicate<List<CgroupEvent>> done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!done.test(seen)) {
      if (System.nanoTime() > deadline) {
        fail("events not seen within 20 s; got " + seen);
      }
      seen.addAll(w.drain().events());
      Thread.sleep(10);
    }
    return seen;
  }

  private static boolean has(List<CgroupEvent> es, CgroupEvent.Kind kind, String path) {
    return es.stream().anyMatch(e -> e.kind() == kind && e.path().equals(path));
  }

  /** What the kernel shows in a new v2 cgroup: the files an event reads. */
  private static void fakeCgroup(Path dir, boolean populated, long fileBytes) throws IOException {
    Files.createDirectory(dir);
    Files.writeString(dir.resolve("memory.current"), (fileBytes + 4096) + "\n");
    Files.writeString(dir.resolve("memory.stat"), "anon 4096\nfile " + fileBytes + "\n");
    Files.writeString(dir.resolve("cgroup.events"), "populated " + (populated ? 1 : 0) + "\nfrozen 0\n");
  }

  private static void removeCgroup(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Test
  void aJobBornEmptiedAndRemovedBetweenTwoScansIsSeenWithItsChargesAtPopulated0() throws Exception {
    Path host = copyHost("unified-6.1-clean");
    Path jobs = host.resolve("sys/fs/cgroup/jobs");
    try (CgroupWatcher w = started(host, 100, 100)) {
      Path job = jobs.resolve("job-1");
      fakeCgroup(job, true, 0);
      List<CgroupEvent> seen = awaitEvents(w, new ArrayList<>(), es -> has(es, CgroupEvent.Kind.CREATED, "/jobs/job-1"));
      // the job wrote 8 MiB and exited: the kernel updates memory.stat, then cgroup.events
      Files.writeString(job.resolve("memory.stat"), "anon 0\nfile " + 8 * MIB + "\n");
      Files.writeString(job.resolve("memory.current"), (8 * MIB) + "\n");
      Files.writeString(job.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
      awaitEvents(w, seen, es -> has(es, CgroupEvent.Kind.UNPOPULATED, "/jobs/job-1"));
      removeCgroup(job);
      awaitEvents(w, seen, es -> has(es, CgroupEvent.Kind.REMOVED, "/jobs/job-1"));

      CgroupEvent born = seen.stream().filter(e -> e.kind() == CgroupEvent.Kind.CREATED).findFirst().orElseThrow();
      assertEquals("unified", born.hierarchy());
      assertEquals(Files.getAttribute(job.getParent(), "unix:ino") instanceof Long, true);
      assertTrue(born.inode() > 0, "the new directory's inode");
      CgroupEvent emptied = seen.stream().filter(e -> e.kind() == CgroupEvent.Kind.UNPOPULATED).reduce((a, b) -> b)
          .orElseThrow();
      assertEquals(OptionalLong.of(8 * MIB), emptied.charges().orElseThrow().fileBytes(),
          "the charges at the moment populated went to 0, through the scan's parsers");
      assertEquals(OptionalLong.of(8 * MIB), emptied.charges().orElseThrow().usageBytes());
      CgroupEvent gone = seen.get(seen.size() - 1);
      assertEquals(CgroupEvent.Kind.REMOVED, gone.kind());
      assertEquals(born.inode(), gone.inode());
      assertFalse(gone.at().isBefore(emptied.at()), "in order");
      WatchStats stats = w.drain().stats();
      assertEquals(6, stats.watches(), "the fixture's 6 directories; the removed one released");
      assertEquals(1L, stats.eventsTotal().get("removed"));
      assertFalse(stats.fallbackActive());
    }
  }

  @Test
  void aDirectoryMadeWithChildrenBeforeItsWatchWasUpHasThemAllRegistered() throws Exception {
    Path host = copyHost("unified-6.1-clean");
    try (CgroupWatcher w = started(host, 100, 100)) {
      Path ci = host.resolve("sys/fs/cgroup/jobs/ci");
      Files.createDirectories(ci.resolve("run/step")); // in one go: the watch on ci comes after run exists
      List<CgroupEvent> seen = awaitEvents(w, new ArrayList<>(), es -> has(es, CgroupEvent.Kind.CREATED,
          "/jobs/ci/run/step"));
      assertTrue(has(seen, CgroupEvent.Kind.CREATED, "/jobs/ci"));
      assertTrue(has(seen, CgroupEvent.Kind.CREATED, "/jobs/ci/run"));
      assertEquals(3, seen.stream().filter(e -> e.kind() == CgroupEvent.Kind.CREATED).count(), "each once");
      Files.delete(ci.resolve("run/step"));
      awaitEvents(w, seen, es -> has(es, CgroupEvent.Kind.REMOVED, "/jobs/ci/run/step"));
    }
  }

  @Test
  void untrustedNamesAndAControlFileThatIsASymlinkNeitherBreakNorLeak() throws Exception {
    Path host = copyHost("unified-6.1-clean");
    Path secret = tmp.resolve("secret");
    Files.writeString(secret, "populated 0\n");
    try (CgroupWatcher w = started(host, 100, 100)) {
      String hostile = "evil\n# HELP x\"}\u202e";
      Path dir = host.resolve("sys/fs/cgroup/jobs").resolve(hostile);
      Files.createDirectory(dir);
      Files.createSymbolicLink(dir.resolve("cgroup.events"), secret);
      List<CgroupEvent> seen = awaitEvents(w, new ArrayList<>(), es -> has(es, CgroupEvent.Kind.CREATED,
          "/jobs/" + hostile));
      Files.writeString(secret, "populated 0\nfrozen 0\n"); // not watched, and a symlink is never read
      Files.delete(dir.resolve("cgroup.events"));
      Files.delete(dir);
      awaitEvents(w, seen, es -> has(es, CgroupEvent.Kind.REMOVED, "/jobs/" + hostile));
      assertFalse(has(seen, CgroupEvent.Kind.UNPOPULATED, "/jobs/" + hostile), "the symlink's target was not read");
      assertFalse(w.drain().stats().fallbackActive());
    }
  }

  @Test
  void moreDirectoriesThanTheBoundFallBackToPollingCountedWithTheirReason() throws Exception {
    Path host = copyHost("unified-6.1-clean");
    try (CgroupWatcher w = started(host, 7, 100)) { // the fixture's 6 and one more
      Files.createDirectory(host.resolve("sys/fs/cgroup/jobs/a"));
      Files.createDirectory(host.resolve("sys/fs/cgroup/jobs/b"));
      long deadline = System.nanoTime() + WAIT_NANOS;
      WatchStats s = w.drain().stats();
      while (!s.fallbackActive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
        s = w.drain().stats();
      }
      assertTrue(s.fallbackActive());
      assertEquals(1, s.fallbacksTotal());
      assertEquals(0, s.watches(), "every watch released");
      assertTrue(s.fallbackReason().orElseThrow().contains("more than 7 cgroup directories"), s.toString());
    }
  }

  @Test
  void aFullQueueLosesEventsSaysSoAndReArmsOnceDrained() throws Exception {
    Path host = copyHost("unified-6.1-clean");
    try (CgroupWatcher w = started(host, 100, 2)) {
      // no drain meanwhile: the third event finds the queue full
      for (int i = 0; i < 3; i++) {
        Files.createDirectory(host.resolve("sys/fs/cgroup/jobs/j" + i));
      }
      long deadline = System.nanoTime() + WAIT_NANOS;
      while (w.stats().fallbacksTotal() == 0) { // it sees all three and drops the third
        if (System.nanoTime() > deadline) {
          fail("no fallback within 20 s: " + w.stats());
        }
        Thread.sleep(10);
      }
      WatchStats s = w.stats();
      assertEquals(1, s.fallbacksTotal(), s.toString());
      assertTrue(s.eventsDropped() >= 1, s.toString());
      assertTrue(s.fallbackReason().orElseThrow().contains("queue was full"), s.toString());
      // drained: it re-arms (a fresh walk, the three new directories included) and sees what comes next
      List<CgroupEvent> seen = new ArrayList<>(w.drain().events());
      while (!w.ready()) { // re-registering: a directory made now is found by the walk, not announced
        if (System.nanoTime() > deadline) {
          fail("not re-armed within 20 s: " + w.stats());
        }
        Thread.sleep(10);
      }
      Files.createDirectory(host.resolve("sys/fs/cgroup/jobs/after"));
      awaitEvents(w, seen, es -> has(es, CgroupEvent.Kind.CREATED, "/jobs/after"));
      WatchStats after = w.drain().stats();
      assertFalse(after.fallbackActive());
      assertEquals(10, after.watches(), "the fixture's 6, the 3 made during the gap, and the one after");
    }
  }

  /**
   * serve's --max-depth: a cgroup deeper than the scan reads is neither watched nor announced (the lifecycle
   * tracker, which only sees scanned cgroups, would count it born and bury it at the next scan), while a cgroup at
   * the bound still tells its populated 0. The fixture: /, /jobs, /jobs/keeper (depth 2), /system.slice and two
   * services (depth 2).
   */
  @Test
  void cgroupsDeeperThanTheScanReadsAreNeitherWatchedNorAnnounced() throws Exception {
    Path host = copyHost("unified-6.1-clean");
    Path keeper = host.resolve("sys/fs/cgroup/jobs/keeper");
    Files.createDirectory(keeper.resolve("already-deep")); // there at start: not registered either
    try (CgroupWatcher w = started(host, 100, 100, 2)) {
      assertEquals(6, w.stats().watches(), "the fixture's 6 directories down to depth 2, not the deeper one");
      Files.createDirectories(host.resolve("sys/fs/cgroup/jobs/ci/run/step")); // depth 2, 3 and 4 in one go
      List<CgroupEvent> seen = awaitEvents(w, new ArrayList<>(), es -> has(es, CgroupEvent.Kind.CREATED,
          "/jobs/ci"));
      fakeCgroup(keeper.resolve("deep"), true, 0); // depth 3: its CREATE comes on keeper's watch, then ...
      Files.writeString(keeper.resolve("cgroup.events"), "populated 0\nfrozen 0\n"); // ... keeper's own change
      awaitEvents(w, seen, es -> has(es, CgroupEvent.Kind.UNPOPULATED, "/jobs/keeper"));
      Files.delete(host.resolve("sys/fs/cgroup/jobs/ci/run/step"));
      removeCgroup(keeper.resolve("deep"));
      Files.createDirectory(host.resolve("sys/fs/cgroup/jobs/after")); // after the deletions, on the same watch
      awaitEvents(w, seen, es -> has(es, CgroupEvent.Kind.CREATED, "/jobs/after"));

      // distinct: one write of cgroup.events may come as two modifications, each read
      assertEquals(List.of("/jobs/ci", "/jobs/keeper", "/jobs/after"),
          seen.stream().map(CgroupEvent::path).distinct().toList(), "only cgroups down to depth 2, in order: " + seen);
      WatchStats stats = w.drain().stats();
      assertEquals(8, stats.watches(), "the fixture's 6, /jobs/ci and /jobs/after");
      assertFalse(stats.fallbackActive());
    }
  }

  @Test
  void aNegativeDepthIsRefused() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new CgroupWatcher(HostRoots.of(tmp), new NioControlFiles(), Clock.systemUTC(), 10, 10, -1));
    assertTrue(e.getMessage().contains("maxDepth must be >= 0"), e.getMessage());
  }

  @Test
  void aV1MemoryHierarchyIsTheOneWatched() throws Exception {
    Path host = copyHost("legacy-v1");
    try (CgroupWatcher w = started(host, 1000, 100)) {
      Files.createDirectory(host.resolve("sys/fs/cgroup/memory/job"));
      Files.createDirectory(host.resolve("sys/fs/cgroup/pids/not-memory"));
      List<CgroupEvent> seen = awaitEvents(w, new ArrayList<>(), es -> has(es, CgroupEvent.Kind.CREATED, "/job"));
      assertEquals("memory", seen.get(0).hierarchy());
      seen.addAll(w.drain().events());
      assertFalse(seen.stream().anyMatch(e -> e.path().contains("not-memory")), "only the memory hierarchy");
    }
  }
}
