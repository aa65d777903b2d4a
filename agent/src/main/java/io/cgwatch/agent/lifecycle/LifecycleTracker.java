package io.cgwatch.agent.lifecycle;

import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.ParentLifecycle;
import io.cgwatch.model.ReapLag;
import io.cgwatch.model.Zombie;
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
 */
public final class LifecycleTracker {
  private final Clock clock;
  private final TrackerSettings settings;

  private Map<Key, Alive> alive = Map.of();
  private final Deque<Tombstone> tombstones = new ArrayDeque<>(); // in removal order
  private final Map<Key, Counters> parents = new TreeMap<>();
  private long created;
  private long removed;
  private long recreated;
  private long dropped;
  private long expired;
  private int observations;
  private Instant since;

  public LifecycleTracker(Clock clock, TrackerSettings settings) {
    this.clock = clock;
    this.settings = settings;
  }

  public LifecycleView observe(HostSnapshot s) {
    Instant now = clock.instant();
    if (observations == 0) {
      since = now;
    }
    Map<String, Integer> versions = new HashMap<>();
    s.hierarchies().forEach(h -> versions.put(h.name(), h.version()));
    foldBirthsAndRemovals(s, now, versions);
    Map<Key, Long> unknown = attribute(s, now);
    expire(now);
    observations++;
    return view(now, unknown);
  }

  private void foldBirthsAndRemovals(HostSnapshot s, Instant now, Map<String, Integer> versions) {
    Map<Key, Alive> next = new HashMap<>();
    for (CgroupSnapshot c : s.cgroups()) {
      int version = versions.getOrDefault(c.hierarchy(), 2);
      Key key = new Key(c.hierarchy(), c.path());
      Alive prev = alive.get(key);
      next.put(key, new Alive(c.inode(), now, Charges.of(c, version), version == 1));
      if (observations == 0) {
        continue; // what exists at start is seen, not born
      }
      if (prev == null) {
        birth(key);
      } else if (prev.inode != c.inode()) {
        bury(key, prev, now);
        birth(key);
        recreated++;
        counters(key).recreated++;
      }
    }
    for (Map.Entry<Key, Alive> e : alive.entrySet()) {
      if (!next.containsKey(e.getKey())) {
        bury(e.getKey(), e.getValue(), now);
      }
    }
    alive = next;
  }

  private void birth(Key key) {
    created++;
    counters(key).created++;
  }

  private void bury(Key key, Alive last, Instant now) {
    removed++;
    counters(key).removed++;
    tombstones.addLast(new Tombstone(key.hierarchy, key.path, parentOf(key.path), last.inode, last.lastSeen, now,
        last.charges, last.v1));
  }

  /** Matches the kernel's dying counts with tombstones; returns dying of unknown origin per live parent. */
  private Map<Key, Long> attribute(HostSnapshot s, Instant now) {
    Map<Key, Long> unknown = new HashMap<>();
    for (HierarchySnapshot h : s.hierarchies()) {
      List<Tombstone> dying = tombstones.stream().filter(t -> t.dying && t.hierarchy.equals(h.name())).toList();
      if (h.version() == 1) {
        if (h.controllers().contains("memory") && h.dying().count().isPresent()) {
          long kernelCount = h.dying().count().getAsLong();
          long stillDying = dying.size() - settle(new ArrayList<>(dying), kernelCount, now).size();
          unknown.put(new Key(h.name(), "/"), Math.max(0, kernelCount - stillDying));
        }
        continue;
      }
      // Dying tombstones per ancestor path, so only parents whose count fell need a look at the tombstones.
      Map<String, Integer> dyingBelow = new HashMap<>();
      for (Tombstone t : dying) {
        forEachAncestor(t.path, a -> dyingBelow.merge(a, 1, Integer::sum));
      }
      // Deepest first, so a decision below is seen by every ancestor.
      List<CgroupSnapshot> counted = s.cgroups().stream()
          .filter(c -> c.hierarchy().equals(h.name()) && c.nrDyingDescendants().isPresent())
          .sorted(Comparator.comparingInt(CgroupSnapshot::depth).reversed()).toList();
      for (CgroupSnapshot p : counted) {
        long kernelCount = p.nrDyingDescendants().getAsLong();
        int known = dyingBelow.getOrDefault(p.path(), 0);
        if (known > kernelCount) {
          List<Tombstone> below = new ArrayList<>();
          for (Tombstone t : dying) {
            if (t.dying && isBelow(t.path, p.path())) {
              below.add(t);
            }
          }
          for (Tombstone t : settle(below, kernelCount, now)) {
            forEachAncestor(t.path, a -> dyingBelow.merge(a, -1, Integer::sum));
          }
        }
        unknown.put(new Key(h.name(), p.path()), Math.max(0, kernelCount - dyingBelow.getOrDefault(p.path(), 0)));
      }
    }
    return unknown;
  }

  /** Frees tombstones until no more are dying than the kernel counts; returns the ones freed. */
  private List<Tombstone> settle(List<Tombstone> dying, long kernelCount, Instant now) {
    if (dying.size() <= kernelCount) {
      return List.of();
    }
    dying.sort(Comparator.comparingLong(Tombstone::freeOrderBytes).thenComparingLong(Tombstone::usageBytes)
        .thenComparing(t -> t.removedAt));
    List<Tombstone> freed = dying.subList(0, (int) (dying.size() - kernelCount));
    for (Tombstone t : freed) {
      t.dying = false;
      Counters c = counters(new Key(t.hierarchy, t.path));
      c.reapLag = c.reapLag.plus(Duration.between(t.removedAt, now).toNanos() / 1e9);
    }
    return freed;
  }

  /** Calls {@code f} with every proper ancestor of a cgroup path, the root included. */
  private static void forEachAncestor(String path, java.util.function.Consumer<String> f) {
    for (String a = CgroupPaths.parent(path); a != null; a = CgroupPaths.parent(a)) {
      f.accept(a);
    }
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
          t.v1 ? "hierarchy" : "subtree"));
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
        .mapToLong(Map.Entry::getValue).sum();
    return new LifecycleView(since, observations, created, removed, recreated, out, zombies, unknownAtRoots,
        tombstones.size(), dropped, expired);
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

  private record Alive(long inode, Instant lastSeen, Charges charges, boolean v1) {}

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
