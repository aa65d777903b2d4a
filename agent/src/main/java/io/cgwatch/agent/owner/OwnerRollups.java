package io.cgwatch.agent.owner;

import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.Owner;
import io.cgwatch.model.OwnerReport;
import io.cgwatch.model.OwnerRollup;
import io.cgwatch.model.Saturating;
import io.cgwatch.model.Zombie;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rolls one analysis up per owner (docs/owners.md): dying cgroups, zombies, orphaned page cache and the zombies'
 * charges at death. Pure: the snapshot, the orphaned estimates and the lifecycle view in, an {@link OwnerReport}
 * out; only the memory hierarchy counts (dying memcgs are what cost memory).
 *
 * <p>Dying on v2: {@code nr_dying_descendants} is hierarchical, so each live cgroup P keeps its own share, its
 * count minus its live children's: the dying cgroups whose nearest live ancestor is P, which were P's children
 * (or below them). A zombie the lifecycle names is taken out of its nearest live ancestor's share and given to
 * the owner of its former path (a removed {@code cri-containerd-<id>.scope} is its pod's); the rest of the share
 * goes to P's owner (a removed container scope under a live pod slice is still that pod's). On v1 only the
 * hierarchy-wide count exists: the lifecycle's zombie candidates are attributed, the rest is
 * {@code unattributedDying}.
 */
public final class OwnerRollups {
  private OwnerRollups() {}

  public static OwnerReport rollUp(HostSnapshot s, List<OrphanedMemory> orphaned, Optional<LifecycleView> lifecycle) {
    Optional<HierarchySnapshot> memory = s.memoryHierarchy();
    if (memory.isEmpty()) {
      return new OwnerReport("", "none", List.of(), 0, s.podLogDirs().size());
    }
    HierarchySnapshot h = memory.get();
    OwnerResolver resolver = new OwnerResolver(s.podLogDirs());
    Map<Owner.Key, Acc> byOwner = new TreeMap<>();
    Map<String, Owner> cache = new HashMap<>();
    java.util.function.Function<String, Acc> at = path -> {
      Owner o = rolledUp(cache.computeIfAbsent(path, resolver::resolve));
      return byOwner.computeIfAbsent(o.key(), k -> new Acc(o));
    };

    List<Zombie> zombies = lifecycle.map(LifecycleView::zombies).orElse(List.of()).stream()
        .filter(z -> z.hierarchy().equals(h.name())).toList();
    for (Zombie z : zombies) {
      Acc a = at.apply(z.path());
      a.zombies++;
      a.chargesAtDeath = a.chargesAtDeath.plus(z.chargesAtDeath());
    }

    String attribution;
    long unattributed = 0;
    long kernelDying = h.dying().count().orElse(0);
    if (h.version() == 2 && h.dying().count().isPresent()) {
      attribution = "per_parent";
      Map<String, Long> share = ownShares(s, h.name());
      for (Zombie z : zombies) {
        String nearest = nearestCounted(z.path(), share);
        if (nearest != null && share.get(nearest) > 0) {
          share.merge(nearest, -1L, Long::sum);
          at.apply(z.path()).dying++;
        }
      }
      share.forEach((path, n) -> {
        if (n > 0) {
          at.apply(path).dying += n;
        }
      });
    } else if (h.version() == 1 && h.dying().count().isPresent() && lifecycle.isPresent()) {
      attribution = "candidates";
      long named = Math.min(zombies.size(), kernelDying); // never more than the kernel counts
      zombies.stream().limit(named).forEach(z -> at.apply(z.path()).dying++);
      unattributed = kernelDying - named;
    } else {
      attribution = "none";
      unattributed = kernelDying;
    }

    for (OrphanedMemory o : orphaned) {
      long file = o.bytes().fileBytes().orElse(0);
      if (o.hierarchy().equals(h.name()) && file > 0) {
        Acc a = at.apply(o.path());
        a.orphanedFile = Saturating.add(a.orphanedFile, file);
      }
    }
    List<OwnerRollup> out = new ArrayList<>();
    for (Acc a : byOwner.values()) {
      if (a.dying > 0 || a.zombies > 0 || a.orphanedFile > 0) {
        out.add(new OwnerRollup(a.owner, a.dying, a.zombies, a.orphanedFile, a.chargesAtDeath));
      }
    }
    out.sort(ORDER);
    return new OwnerReport(h.name(), attribution, out, unattributed, s.podLogDirs().size());
  }

  /** Most dying first, then most page cache left behind, then by key so equal owners keep one order. */
  public static final Comparator<OwnerRollup> ORDER = Comparator.comparingLong(OwnerRollup::dying).reversed()
      .thenComparing(Comparator.comparingLong(OwnerRollup::orphanedFileBytes).reversed())
      .thenComparing(Comparator.comparingLong(OwnerRollup::zombies).reversed())
      .thenComparing(r -> r.owner().key());

  /** Each counted cgroup's own share of nr_dying_descendants: its count minus its live children's. */
  private static Map<String, Long> ownShares(HostSnapshot s, String hierarchy) {
    Map<String, Long> counts = new HashMap<>();
    for (CgroupSnapshot c : s.cgroups()) {
      if (c.hierarchy().equals(hierarchy) && c.nrDyingDescendants().isPresent()) {
        counts.put(c.path(), c.nrDyingDescendants().getAsLong());
      }
    }
    Map<String, Long> share = new HashMap<>(counts);
    counts.forEach((path, n) -> {
      String parent = CgroupPaths.parent(path);
      if (parent != null && share.containsKey(parent)) {
        share.merge(parent, -n, Long::sum);
      }
    });
    share.replaceAll((p, n) -> Math.max(0, n)); // the kernel prints the counts without a lock
    return share;
  }

  private static String nearestCounted(String path, Map<String, Long> share) {
    for (String a = CgroupPaths.parent(path); a != null; a = CgroupPaths.parent(a)) {
      if (share.containsKey(a)) {
        return a;
      }
    }
    return null;
  }

  /** A pod's containers roll up into the pod: the container of whichever cgroup came first means nothing. */
  private static Owner rolledUp(Owner o) {
    if (o.kind() != Owner.Kind.POD) {
      return o;
    }
    return new Owner(o.kind(), o.name(), o.namespace(), o.podUid(), Optional.empty(), Optional.empty(), o.qos());
  }

  private static final class Acc {
    final Owner owner;
    long dying;
    long zombies;
    long orphanedFile;
    Charges chargesAtDeath = Charges.NONE;

    Acc(Owner owner) {
      this.owner = owner;
    }
  }
}
