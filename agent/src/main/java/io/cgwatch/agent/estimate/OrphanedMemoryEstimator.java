package io.cgwatch.agent.estimate;

import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.HostOrphaned;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.OrphanedMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Estimates, per parent, the memory that removed children left behind (kernel-facts §5). Pure: one snapshot in,
 * estimates out. The reader reads children before their parent, so a parent's hierarchical counters already
 * include anything a child charged while the child was being read; what still races shows up as a small
 * negative, which is clamped to 0 and counted.
 */
public final class OrphanedMemoryEstimator {
  private OrphanedMemoryEstimator() {}

  public static List<OrphanedMemory> estimate(HostSnapshot s) {
    List<OrphanedMemory> out = new ArrayList<>();
    for (HierarchyIndex idx : HierarchyIndex.of(s)) {
      boolean v1 = idx.isV1Memory();
      if (!v1 && idx.hierarchy.version() != 2) {
        continue;
      }
      for (CgroupSnapshot p : idx.cgroups) {
        if (p.memory().isEmpty() || !idx.allChildrenRead(p)) {
          continue; // a child we did not read would be counted as orphaned
        }
        if (v1) {
          out.add(v1(idx.hierarchy.name(), p, idx.childrenOf(p)));
        } else if (p.depth() > 0 && p.subtreeControl().map(l -> l.contains("memory")).orElse(false)) {
          out.add(v2(idx.hierarchy.name(), p, idx.childrenOf(p)));
        }
      }
    }
    return out;
  }

  /** The host-wide sum, and the kernel memory the dying memcgs themselves hold. */
  public static HostOrphaned host(HostSnapshot s, List<OrphanedMemory> orphaned) {
    Charges sum = Charges.NONE;
    for (OrphanedMemory o : orphaned) {
      sum = sum.plus(o.bytes());
    }
    OptionalLong kernel = s.dyingMemoryCgroups().count().isPresent() && s.host().cpus().isPresent()
        ? OptionalLong.of(io.cgwatch.model.Saturating.multiply(s.dyingMemoryCgroups().count().getAsLong(),
            HostOrphaned.perDyingMemcgBytes(s.host().cpus().getAsInt())))
        : OptionalLong.empty();
    return new HostOrphaned(sum, orphaned.size(), kernel);
  }

  /** {@code X(P) − Σ X(live children)} for each v2 figure. */
  private static OrphanedMemory v2(String hierarchy, CgroupSnapshot p, List<CgroupSnapshot> children) {
    Clamps clamps = new Clamps();
    Charges bytes = new Charges(
        clamps.diff(p, children, m -> m.currentBytes()),
        clamps.diff(p, children, m -> m.statValue("file")),
        clamps.diff(p, children, m -> m.statValue("anon")),
        clamps.diff(p, children, m -> m.statValue("shmem")),
        clamps.diff(p, children, m -> m.statValue("file_mapped")),
        clamps.diff(p, children, m -> m.statValue("kernel")),
        clamps.diff(p, children, m -> m.statValue("percpu")));
    return new OrphanedMemory(hierarchy, p.path(), OrphanedMemory.Method.PARENT_MINUS_LIVE_CHILDREN, bytes,
        clamps.count);
  }

  /**
   * {@code total_X(P) − X(P) − Σ total_X(live children)}. No usage figure: v1 has no local usage to subtract,
   * so {@code usage(P) − Σ usage(children)} would count P's own charges as left behind.
   */
  private static OrphanedMemory v1(String hierarchy, CgroupSnapshot p, List<CgroupSnapshot> children) {
    Clamps clamps = new Clamps();
    Charges bytes = new Charges(
        OptionalLong.empty(),
        clamps.v1(p, children, "cache"),
        clamps.v1(p, children, "rss"),
        clamps.v1(p, children, "shmem"),
        clamps.v1(p, children, "mapped_file"),
        OptionalLong.empty(),
        OptionalLong.empty());
    return new OrphanedMemory(hierarchy, p.path(), OrphanedMemory.Method.TOTAL_MINUS_LOCAL_MINUS_LIVE_CHILDREN,
        bytes, clamps.count);
  }

  /** Differences clamped at zero, counting the clamps. */
  private static final class Clamps {
    int count;

    OptionalLong diff(CgroupSnapshot p, List<CgroupSnapshot> children, Function<MemorySnapshot, OptionalLong> f) {
      OptionalLong parent = f.apply(p.memory().get());
      if (parent.isEmpty()) {
        return OptionalLong.empty();
      }
      long childSum = 0; // saturating: children near 2^63 must not wrap into invented orphaned bytes
      for (CgroupSnapshot c : children) {
        OptionalLong child = c.memory().map(f).orElse(OptionalLong.empty());
        if (child.isEmpty()) {
          return OptionalLong.empty(); // a child without the figure: the difference would mean nothing
        }
        childSum = io.cgwatch.model.Saturating.add(childSum, child.getAsLong());
      }
      return clamp(io.cgwatch.model.Saturating.subtract(parent.getAsLong(), childSum));
    }

    OptionalLong v1(CgroupSnapshot p, List<CgroupSnapshot> children, String key) {
      MemorySnapshot m = p.memory().get();
      OptionalLong total = m.statValue("total_" + key);
      OptionalLong local = m.statValue(key);
      if (total.isEmpty() || local.isEmpty()) {
        return OptionalLong.empty();
      }
      long v = io.cgwatch.model.Saturating.subtract(total.getAsLong(), local.getAsLong());
      for (CgroupSnapshot c : children) {
        OptionalLong child = c.memory().map(cm -> cm.statValue("total_" + key)).orElse(OptionalLong.empty());
        if (child.isEmpty()) {
          return OptionalLong.empty();
        }
        v = io.cgwatch.model.Saturating.subtract(v, child.getAsLong());
      }
      return clamp(v);
    }

    private OptionalLong clamp(long v) {
      if (v < 0) {
        count++;
        return OptionalLong.of(0);
      }
      return OptionalLong.of(v);
    }
  }
}
