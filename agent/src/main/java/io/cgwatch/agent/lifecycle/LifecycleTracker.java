package io.cgwatch.agent.lifecycle;

import io.cgwatch.model.CgroupEvent;
import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.ParentLifecycle;
import io.cgwatch.model.ReapLag;
import io.cgwatch.model.Zombie;
import io.cgwatch.model.ZombieBound;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A fold over successive snapshots: births, removals, recreations (same path, new inode), a tombstone per removed
 * cgroup with its charges at death, and which removed cgroups the kernel still counts as dying. No file access;
 * time comes from the injected clock. Not thread-safe: one caller observes in order.
 *
 * <h2>Zombie attribution</h2>
 * The kernel says how many removed cgroups are still dying, never which. On v2 every live cgroup P gives
 * {@code nr_dying_descendants}; on v1 only the hierarchy-wide {@code num_cgroups − directories} exists. Each
 * observation matches those counts with the tombstones below P, deepest P first. When fewer are dying than
 * cgwatch has tombstones for, the difference is declared freed by this rule: <b>the smallest page cache at death
 * goes first</b> (then the smallest usage, then the earliest removed), because page cache is what pins a
 * memcg; a freed tombstone records its reap lag. When more are dying than tombstones, the excess is "unknown
 * origin": removed before cgwatch started, or deeper than it reads.
 *
 * <h2>v1: a bounded set, not a finding</h2>
 * With one hierarchy-wide count, the named zombies are candidates ({@link ZombieBound}). A removed cgroup that held
 * no charge when last seen is never named (nothing pins it; the kernel frees it at once). The unknown-origin
 * count is kept from scan to scan: it starts as the whole count, grows when the count rises by more than the
 * removals cgwatch saw (jobs born and gone between two scans), and when the count falls, the watched removals are
 * taken as freed first: the unknown-origin ones have been dying longest and are the likeliest to stay, and a
 * fall back to the count before a test must not leave the test's jobs listed.
 *
 * <h2>Between two scans: the watcher's events</h2>
 * With a watcher ({@code io.cgwatch.cgroupfs.CgroupWatcher}) each observation also gets the events seen since the
 * last one, all older than the snapshot (they are drained before the scan starts), applied in order before the
 * snapshot: a {@code CREATED} is a birth (once: the snapshot that sees the same inode later adds nothing), an
 * {@code UNPOPULATED} replaces the charges remembered with those read when {@code populated} went to 0, and a
 * {@code REMOVED} buries the cgroup at the event's time. So a cgroup that lived entirely between two scans has a
 * tombstone with its ancestors' inodes, and v2 attribution below holds for it as for any other. The snapshot stays
 * the backstop: whatever the events missed (no watcher, a fallback, a lost event) it finds as before. On v1 a
 * cgroup no scan saw is never named: without {@code cgroup.events} nothing read its charges at death, and the
 * hierarchy-wide count is all there is, so it stays of unknown origin.
 *
 * <h2>Removed mid-scan</h2>
 * A cgroup that vanished while the scan read it may or may not be in that scan's dying counts (they are read at
 * other moments), so its tombstone is never taken as freed in the scan that buried it: it settles at the next.
 */
public final class LifecycleTracker {
  private final Clock clock;
  private final TrackerSettings settings;

  private Map<Key, Alive> alive = new HashMap<>();
  private final Deque<Tombstone> tombstones = new ArrayDeque<>(); // in removal order
  private final Map<Key, Counters> parents = new TreeMap<>();
  private long created;
  private long removed;
  private long recreated;
  private long dropped;
  private long expired;
  private int observations;
  private Instant since;
  private final Map<String, Long> v1Unknown = new HashMap<>(); // per v1 memory hierarchy, kept across scans
  private final Map<String, Long> v1RemovedEmpty = new HashMap<>();
  private List<ZombieBound> bounds = List.of();
  /** Paths removed by events of this observation: created again in the same batch is a recreation. */
  private final java.util.Set<Key> removedByEvent = new java.util.HashSet<>();

  public LifecycleTracker(Clock clock, TrackerSettings settings) {
    this.clock = clock;
    this.settings = settings;
  }

  public LifecycleView observe(HostSnapshot s) {
    return observe(s, List.of());
  }

  /**
   * One snapshot and the watcher's events since the last observation, oldest first, all taken before the
   * snapshot's scan started. Events before the first snapshot are ignored: what exists then is seen, not born.
   */
  public LifecycleView observe(HostSnapshot s, List<CgroupEvent> events) {
    Instant now = clock.instant();
    if (observations == 0) {
      since = now;
    } else {
      removedByEvent.clear();
      events.forEach(this::apply);
    }
    foldBirthsAndRemovals(s, now, s.scan().vanished() > 0);
    expire(now); // before attribution: an expired zombie still dying in the kernel is of unknown origin now
    pruneParents();
    Map<Key, Long> unknown = attribute(s, now);
    tombstones.forEach(t -> t.unsettled = false); // the next scan's counts include whatever went during this one
    observations++;
    return view(now, unknown);
  }

  /** One watcher event, in order, on the cgroups known alive since the last snapshot (and earlier events). */
  private void apply(CgroupEvent e) {
    Key key = new Key(e.hierarchy(), e.path());
    Alive prev = alive.get(key);
    boolean v1 = isV1(e.hierarchy());
    switch (e.kind()) {
      case CREATED -> {
        if (prev != null && prev.inode == e.inode()) {
          return; // already seen (by a scan, or created during the scan that saw it)
        }
        if (prev != null) { // its removal was missed: the same path with a new inode
          alive.remove(key);
          bury(key, prev, e.at(), false);
          recreated++;
          counters(key).recreated++;
        }
        if (removedByEvent.remove(key)) { // as a scan would see it: the same path with a new inode
          recreated++;
          counters(key).recreated++;
        }
        birth(key);
        alive.put(key, new Alive(e.inode(), e.at(), e.charges().orElse(Charges.NONE), v1, ChargesFrom.CREATED,
            false));
      }
      case UNPOPULATED -> {
        if (prev != null && (e.inode() < 0 || prev.inode == e.inode()) && e.charges().isPresent()) {
          alive.put(key, new Alive(prev.inode, e.at(), e.charges().get(), prev.v1, ChargesFrom.POPULATED_0,
              prev.polled));
        }
      }
      case REMOVED -> {
        if (prev != null && (e.inode() < 0 || prev.inode == e.inode())) {
          alive.remove(key);
          bury(key, prev, e.at(), false); // before the scan started: its counts include it
          removedByEvent.add(key);
        }
      }
    }
  }

  /** The hierarchy's version as the cgroups seen alive say (v1 hierarchies have controller names, not "unified"). */
  private boolean isV1(String hierarchy) {
    for (Map.Entry<Key, Alive> a : alive.entrySet()) {
      if (a.getKey().hierarchy.equals(hierarchy)) {
        return a.getValue().v1;
      }
    }
    return false;
  }

  private void foldBirthsAndRemovals(HostSnapshot s, Instant now, boolean vanishedMidScan) {
    Map<Key, Alive> next = new HashMap<>();
    for (CgroupSnapshot c : s.cgroups()) {
      Key key = new Key(c.hierarchy(), c.path());
      Alive prev = alive.get(key);
      boolean emptiedEarlier = prev != null && prev.inode == c.inode() && prev.from == ChargesFrom.POPULATED_0
          && c.populated().isPresent() && !c.populated().get();
      // Still empty since populated went to 0: the charges read at that moment are the ones to keep at death
      // (reclaim may have taken some since); populated again, the scan's are newer.
      next.put(key, emptiedEarlier
          ? new Alive(c.inode(), now, prev.charges, prev.v1, ChargesFrom.POPULATED_0, true)
          : new Alive(c.inode(), now, Charges.of(c), c.version() == 1, ChargesFrom.LAST_POLL, true));
      if (observations == 0) {
        continue; // what exists at start is seen, not born
      }
      if (prev == null) {
        birth(key);
      } else if (prev.inode != c.inode()) {
        bury(key, prev, now, false);
        birth(key);
        recreated++;
        counters(key).recreated++;
      }
    }
    for (Map.Entry<Key, Alive> e : alive.entrySet()) {
      if (!next.containsKey(e.getKey())) {
        bury(e.getKey(), e.getValue(), now, vanishedMidScan);
      }
    }
    alive = next;
  }

  private void birth(Key key) {
    created++;
    counters(key).created++;
  }

  private void bury(Key key, Alive last, Instant now, boolean unsettled) {
    removed++;
    counters(key).removed++;
    Map<String, Long> ancestors = new HashMap<>();
    for (String a = CgroupPaths.parent(key.path); a != null; a = CgroupPaths.parent(a)) {
      Alive ancestor = alive.get(new Key(key.hierarchy, a)); // as last seen, before this observation
      if (ancestor != null) {
        ancestors.put(a, ancestor.inode);
      }
    }
    Tombstone t = new Tombstone(key.hierarchy, key.path, parentOf(key.path), last.inode, last.lastSeen, now,
        last.charges, last.from.label, last.polled, last.v1, ancestors);
    t.unsettled = unsettled;
    tombstones.addLast(t);
  }

  /** Matches the kernel's dying counts with tombstones; returns dying of unknown origin per live parent. */
  private Map<Key, Long> attribute(HostSnapshot s, Instant now) {
    Map<Key, Long> unknown = new HashMap<>();
    List<ZombieBound> v1Bounds = new ArrayList<>();
    for (HierarchySnapshot h : s.hierarchies()) {
      List<Tombstone> dying = tombstones.stream().filter(t -> t.dying && t.hierarchy.equals(h.name())).toList();
      if (h.version() == 1) {
        if (h.controllers().contains("memory") && h.dying().count().isPresent()) {
          ZombieBound b = attributeV1(h.name(), h.dying().count().getAsLong(), dying, now);
          unknown.put(new Key(h.name(), "/"), b.unknownOrigin());
          v1Bounds.add(b);
        }
        continue;
      }
      Map<String, Long> kernelCounts = new HashMap<>();
      Map<String, Long> inodes = new HashMap<>();
      for (CgroupSnapshot c : s.cgroups()) {
        if (c.hierarchy().equals(h.name()) && c.nrDyingDescendants().isPresent()) {
          kernelCounts.put(c.path(), c.nrDyingDescendants().getAsLong());
          inodes.put(c.path(), c.inode());
        }
      }
      // Per counted cgroup: dying tombstones anywhere below it, and those whose nearest counted ancestor it is.
      Map<String, Integer> dyingBelow = new HashMap<>();
      Map<String, List<Tombstone>> direct = new HashMap<>();
      for (Tombstone t : dying) {
        String nearest = null;
        for (String a = CgroupPaths.parent(t.path); a != null; a = CgroupPaths.parent(a)) {
          if (inodes.containsKey(a) && t.isBelow(a, inodes.get(a))) {
            dyingBelow.merge(a, 1, Integer::sum);
            nearest = nearest == null ? a : nearest;
          }
        }
        if (nearest != null) {
          direct.computeIfAbsent(nearest, k -> new ArrayList<>()).add(t);
        }
      }
      // Deepest first. Once a cgroup is settled, its own count pins the tombstones below it, so an ancestor
      // may only free the tombstones directly under it (no counted cgroup in between); it reaches deeper ones
      // only when the counts disagree with each other (the kernel prints them without a lock).
      List<String> order = new ArrayList<>(kernelCounts.keySet());
      order.sort(Comparator.comparingInt(CgroupPaths::depth).reversed());
      for (String p : order) {
        long kernelCount = kernelCounts.get(p);
        long excess = dyingBelow.getOrDefault(p, 0) - kernelCount;
        if (excess > 0) {
          List<Tombstone> freed = new ArrayList<>(free(stillDying(direct.get(p)), excess, now));
          if (freed.size() < excess) {
            List<Tombstone> anyBelow = new ArrayList<>();
            for (Tombstone t : dying) {
              if (t.dying && t.isBelow(p, inodes.get(p))) {
                anyBelow.add(t);
              }
            }
            freed.addAll(free(anyBelow, excess - freed.size(), now));
          }
          for (Tombstone t : freed) {
            for (String a = CgroupPaths.parent(t.path); a != null; a = CgroupPaths.parent(a)) {
              if (inodes.containsKey(a) && t.isBelow(a, inodes.get(a))) {
                dyingBelow.merge(a, -1, Integer::sum);
              }
            }
          }
        }
        unknown.put(new Key(h.name(), p), Math.max(0, kernelCount - dyingBelow.getOrDefault(p, 0)));
      }
    }
    bounds = List.copyOf(v1Bounds);
    return unknown;
  }

  /** One v1 hierarchy: see "v1: a bounded set" above. */
  private ZombieBound attributeV1(String hierarchy, long kernelCount, List<Tombstone> dying, Instant now) {
    List<Tombstone> candidates = new ArrayList<>();
    for (Tombstone t : dying) {
      if (!t.polled) {
        t.dying = false; // seen by the watcher only: no charge at death known, so never named (see above)
      } else if (t.heldNoCharge()) {
        t.dying = false; // never named; no reap lag either: when it went is not known
        v1RemovedEmpty.merge(hierarchy, 1L, Long::sum);
      } else {
        candidates.add(t);
      }
    }
    Long known = v1Unknown.get(hierarchy);
    long unknownOrigin = known != null ? known : Math.max(0, kernelCount - candidates.size());
    long change = kernelCount - (unknownOrigin + candidates.size());
    if (change < 0) {
      List<Tombstone> freed = free(new ArrayList<>(candidates), -change, now);
      candidates.removeAll(freed);
      unknownOrigin = Math.max(0, unknownOrigin - (-change - freed.size()));
    } else {
      unknownOrigin += change;
    }
    v1Unknown.put(hierarchy, unknownOrigin);
    return new ZombieBound(hierarchy, candidates.size(), Math.min(candidates.size(), kernelCount), kernelCount,
        unknownOrigin, v1RemovedEmpty.getOrDefault(hierarchy, 0L));
  }

  private static List<Tombstone> stillDying(List<Tombstone> ts) {
    List<Tombstone> out = new ArrayList<>();
    if (ts != null) {
      for (Tombstone t : ts) {
        if (t.dying) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Declares up to {@code count} of {@code candidates} freed, by the rule; returns the ones freed. */
  private List<Tombstone> free(List<Tombstone> candidates, long count, Instant now) {
    candidates.removeIf(t -> t.unsettled); // removed during this very scan: its counts may not include it yet
    if (count <= 0 || candidates.isEmpty()) {
      return List.of();
    }
    candidates.sort(Comparator.comparingLong(Tombstone::freeOrderBytes).thenComparingLong(Tombstone::usageBytes)
        .thenComparing(t -> t.removedAt));
    List<Tombstone> freed = List.copyOf(candidates.subList(0, (int) Math.min(count, candidates.size())));
    for (Tombstone t : freed) {
      t.dying = false;
      Counters c = counters(new Key(t.hierarchy, t.path));
      c.reapLag = c.reapLag.plus(Duration.between(t.removedAt, now).toNanos() / 1e9);
    }
    return freed;
  }

  private void expire(Instant now) {
    Instant cutoff = now.minus(settings.retention());
    Iterator<Tombstone> it = tombstones.iterator();
    while (it.hasNext()) {
      if (!it.next().removedAt.isAfter(cutoff)) {
        it.remove();
        expired++;
      } else {
        break; // removal order: the rest are younger
      }
    }
    while (tombstones.size() > settings.maxTombstones()) {
      tombstones.removeFirst();
      dropped++;
    }
  }

  /**
   * Forgets the counters of parents that are gone and remember no removed child: on hosts where parents come and
   * go (a pod per parent), they would otherwise grow without bound, in memory and in exported series.
   */
  private void pruneParents() {
    java.util.Set<Key> remembered = new java.util.HashSet<>();
    for (Tombstone t : tombstones) {
      remembered.add(new Key(t.hierarchy, t.parent));
    }
    parents.keySet().removeIf(k -> !alive.containsKey(k) && !remembered.contains(k));
  }

  private LifecycleView view(Instant now, Map<Key, Long> unknown) {
    List<Zombie> zombies = new ArrayList<>();
    Map<Key, ParentAcc> acc = new TreeMap<>();
    parents.forEach((k, c) -> acc.computeIfAbsent(k, x -> new ParentAcc()).counters = c);
    for (Tombstone t : tombstones) {
      if (!t.dying) {
        continue;
      }
      Duration age = Duration.between(t.removedAt, now);
      zombies.add(new Zombie(t.hierarchy, t.path, t.inode, t.lastSeenAlive, t.removedAt, age, t.chargesAtDeath,
          t.chargesFrom, t.v1 ? "hierarchy" : "subtree"));
      ParentAcc a = acc.computeIfAbsent(new Key(t.hierarchy, t.parent), x -> new ParentAcc());
      a.zombies++;
      a.charges = a.charges.plus(t.chargesAtDeath);
      a.oldest = a.oldest == null || age.compareTo(a.oldest) > 0 ? age : a.oldest;
    }
    unknown.forEach((k, n) -> {
      if (n > 0) {
        acc.computeIfAbsent(k, x -> new ParentAcc()); // a parent with dying of unknown origin is listed
      }
    });
    List<ParentLifecycle> out = new ArrayList<>();
    acc.forEach((k, a) -> {
      Counters c = a.counters != null ? a.counters : new Counters();
      out.add(new ParentLifecycle(k.hierarchy, k.path, c.created, c.removed, c.recreated, a.zombies,
          Optional.ofNullable(a.oldest), unknown.containsKey(k) ? OptionalLong.of(unknown.get(k))
              : OptionalLong.empty(), a.charges, c.reapLag));
    });
    zombies.sort(Comparator.comparing(Zombie::hierarchy).thenComparing(Zombie::path, CgroupPaths.TREE_ORDER)
        .thenComparing(Zombie::removedAt));
    long unknownAtRoots = unknown.entrySet().stream().filter(e -> e.getKey().path.equals("/"))
        .mapToLong(Map.Entry::getValue).reduce(0, io.cgwatch.model.Saturating::add);
    return new LifecycleView(since, observations, created, removed, recreated, out, zombies, unknownAtRoots,
        tombstones.size(), dropped, expired, bounds);
  }

  /** Counters of the parent of the cgroup at {@code key}: births, removals, recreations and reap lags. */
  private Counters counters(Key key) {
    return parents.computeIfAbsent(new Key(key.hierarchy, parentOf(key.path)), k -> new Counters());
  }

  private static String parentOf(String path) {
    String p = CgroupPaths.parent(path);
    return p == null ? "/" : p;
  }

  static boolean isBelow(String path, String ancestor) {
    return "/".equals(ancestor) ? !"/".equals(path) : path.startsWith(ancestor) && path.length() > ancestor.length()
        && path.charAt(ancestor.length()) == '/';
  }

  private record Key(String hierarchy, String path) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = hierarchy.compareTo(o.hierarchy);
      return c != 0 ? c : CgroupPaths.TREE_ORDER.compare(path, o.path);
    }
  }

  /**
   * A cgroup known alive: by the last snapshot ({@code polled}) or by a watcher event since.
   *
   * @param lastSeen when it was last seen alive (by a scan or an event)
   */
  private record Alive(long inode, Instant lastSeen, Charges charges, boolean v1, ChargesFrom from,
      boolean polled) {}

  /** Where the charges at death come from: the {@code charges_at} of the JSON report. */
  private enum ChargesFrom {
    POPULATED_0("populated_0"),
    LAST_POLL("last_poll"),
    CREATED("created");

    final String label;

    ChargesFrom(String label) {
      this.label = label;
    }
  }

  private static final class Counters {
    long created;
    long removed;
    long recreated;
    ReapLag reapLag = ReapLag.EMPTY;
  }

  private static final class ParentAcc {
    Counters counters;
    long zombies;
    Duration oldest;
    Charges charges = Charges.NONE;
  }
}
