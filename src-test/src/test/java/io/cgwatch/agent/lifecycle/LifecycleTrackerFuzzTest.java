package io.cgwatch.agent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.Zombie;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.support.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long random sequences of create / remove / recreate / kernel frees, applied to a trivial reference model (a
 * "kernel" that knows which removed cgroups are dying) and to the tracker fed with the kernel's counts only. After
 * every step the tracker must agree with the model wherever the kernel gives it enough to know.
 */
class LifecycleTrackerFuzzTest {
  private static final int STEPS = 400;

  /**
   * A removed cgroup the model's kernel still holds, with the inodes of its ancestors when it was removed: the
   * kernel counts it in {@code nr_dying_descendants} of those very directories, not of a later one at the same
   * path.
   */
  private record Dying(String path, long inode, long fileBytes, Set<Long> ancestorInodes) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234, 99991})
  void trackerAgreesWithTheReferenceModel(long seed) {
    Random rnd = new Random(seed);
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    LifecycleTracker tracker = new LifecycleTracker(clock, new TrackerSettings(Duration.ofDays(3650), 1_000_000));

    Map<String, Long> live = new TreeMap<>(CgroupPaths.TREE_ORDER); // path -> inode
    Map<String, Long> file = new TreeMap<>();
    List<Dying> kernelDying = new ArrayList<>();
    Map<String, Set<Long>> everRemoved = new java.util.HashMap<>(); // path#inode -> ancestor inodes
    long nextInode = 2;
    int nextName = 0;
    long created = 0;
    long removed = 0;
    long recreated = 0;
    live.put("/", 1L);
    file.put("/", 0L);

    for (int step = 0; step < STEPS; step++) {
      if (step > 0) {
        int ops = 1 + rnd.nextInt(4);
        Set<String> touched = new HashSet<>(); // a sampler sees at most one change per path between samples
        for (int op = 0; op < ops; op++) {
          int kind = rnd.nextInt(10);
          List<String> leaves = leaves(live).stream().filter(l -> !touched.contains(l)).toList();
          if (kind < 4 || live.size() < 3) { // create
            List<String> parents = live.keySet().stream().filter(p -> depth(p) < 3 && !touched.contains(p)).toList();
            String parent = parents.get(rnd.nextInt(parents.size()));
            String child = CgroupPaths.child(parent, "c" + nextName++);
            live.put(child, nextInode++);
            file.put(child, (long) rnd.nextInt(64) << 20);
            touched.add(child);
            created++;
          } else if (kind < 7 && !leaves.isEmpty()) { // remove: the kernel keeps it dying if it had page cache
            String leaf = leaves.get(rnd.nextInt(leaves.size()));
            Set<Long> ancestors = ancestorInodes(live, leaf);
            long inode = live.remove(leaf);
            everRemoved.put(leaf + "#" + inode, ancestors);
            touched.add(leaf);
            removed++;
            // A cgroup with dying descendants cannot be freed before them (each holds a reference on it).
            boolean pinned = kernelDying.stream().anyMatch(d -> d.ancestorInodes.contains(inode));
            if (pinned || file.get(leaf) > 0 || rnd.nextBoolean()) {
              kernelDying.add(new Dying(leaf, inode, file.get(leaf), ancestors));
            }
          } else if (kind < 8 && !leaves.isEmpty()) { // recreate: same path, new inode
            String leaf = leaves.get(rnd.nextInt(leaves.size()));
            Set<Long> ancestors = ancestorInodes(live, leaf);
            long inode = live.put(leaf, nextInode++);
            everRemoved.put(leaf + "#" + inode, ancestors);
            touched.add(leaf);
            kernelDying.add(new Dying(leaf, inode, file.get(leaf), ancestors));
            file.put(leaf, (long) rnd.nextInt(64) << 20);
            removed++;
            created++;
            recreated++;
          } else { // the kernel frees any dying cgroup without dying descendants, in any order
            List<Dying> freeable = kernelDying.stream()
                .filter(d -> kernelDying.stream().noneMatch(o -> o.ancestorInodes.contains(d.inode))).toList();
            if (!freeable.isEmpty()) {
              kernelDying.remove(freeable.get(rnd.nextInt(freeable.size())));
            }
          }
        }
        clock.advance(Duration.ofSeconds(1 + rnd.nextInt(60)));
      }
      Snapshots s = Snapshots.v2();
      for (Map.Entry<String, Long> e : live.entrySet()) {
        long inode = e.getValue();
        long dyingBelow = kernelDying.stream().filter(d -> d.ancestorInodes.contains(inode)).count();
        s.cgroup(e.getKey(), inode, dyingBelow, file.get(e.getKey()));
      }

      LifecycleView v = tracker.observe(s.at(clock.instant()));

      String at = "seed " + seed + " step " + step;
      assertEquals(created, v.created(), at);
      assertEquals(removed, v.removed(), at);
      assertEquals(recreated, v.recreated(), at);
      assertEquals(0, v.unknownOriginDying(), at + ": every dying cgroup was seen alive");
      for (Map.Entry<String, Long> e : live.entrySet()) {
        long inode = e.getValue();
        long kernel = kernelDying.stream().filter(d -> d.ancestorInodes.contains(inode)).count();
        long tracked = v.zombies().stream()
            .filter(z -> everRemoved.getOrDefault(z.path() + "#" + z.inode(), Set.of()).contains(inode)).count();
        assertEquals(kernel, tracked, at + ": zombies below " + e.getKey());
      }
      Set<String> liveIds = new HashSet<>();
      live.forEach((p, i) -> liveIds.add(p + "#" + i));
      for (Zombie z : v.zombies()) {
        assertFalse(liveIds.contains(z.path() + "#" + z.inode()), at + ": " + z.path() + " is both live and removed");
        assertTrue(z.lastSeenAlive().isBefore(z.removedAt()), at + ": removed after it was last seen alive");
        assertFalse(z.age().isNegative(), at);
      }
    }
  }

  private static List<String> leaves(Map<String, Long> live) {
    List<String> out = new ArrayList<>();
    for (String p : live.keySet()) {
      if (!"/".equals(p) && live.keySet().stream().noneMatch(q -> LifecycleTracker.isBelow(q, p))) {
        out.add(p);
      }
    }
    return out;
  }

  private static Set<Long> ancestorInodes(Map<String, Long> live, String path) {
    Set<Long> out = new HashSet<>();
    for (String a = CgroupPaths.parent(path); a != null; a = CgroupPaths.parent(a)) {
      out.add(live.get(a));
    }
    return out;
  }

  private static int depth(String p) {
    return "/".equals(p) ? 0 : (int) p.chars().filter(c -> c == '/').count();
  }
}
