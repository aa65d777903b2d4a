package io.cgwatch.agent.estimate;

import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.HostOrphaned;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.Saturating;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Estimates, per parent, the memory that removed children left behind (kernel-facts §5). Pure: one snapshot in,
 * estimates out. The reader reads children before their parent, so a parent's hierarchical counters already
 * include anything a child charged while the child was being read; what still races shows up as a small
 * negative, which is clamped to 0 and counted.
 *
 * <p>One formula for both versions, on the reader's translated charges: {@code X(P) − own X(P) − Σ X(live
 * children)}. v2 has no local figures, so nothing is subtracted for P itself; v1 subtracts P's own charges
 * (its local {@code memory.stat} keys) and has no own usage, so it gets no usage figure.
 */
public final class OrphanedMemoryEstimator {
  private OrphanedMemoryEstimator() {}

  public static List<OrphanedMemory> estimate(HostSnapshot s) {
    List<OrphanedMemory> out = new ArrayList<>();
    for (HierarchyIndex idx : HierarchyIndex.of(s)) {
      for (CgroupSnapshot p : idx.cgroups) {
        if (p.memory().isEmpty() || !p.memory().get().childrenCharged() || !idx.allChildrenRead(p)) {
          continue; // a child we did not read would be counted as orphaned
        }
        out.add(estimate(idx.hierarchy.name(), p, idx.childrenOf(p)));
      }
    }
    return out;
  }

  /**
   * The host-wide sum, with the kernel memory the dying memcgs themselves hold ({@link StillDyingEstimator#cost}:
   * estimated, capped by the kernel's per-CPU measurement).
   */
  public static HostOrphaned host(List<OrphanedMemory> orphaned, OptionalLong dyingKernelMemoryBytes) {
    Charges sum = Charges.NONE;
    for (OrphanedMemory o : orphaned) {
      sum = sum.plus(o.bytes());
    }
    return new HostOrphaned(sum, orphaned.size(), dyingKernelMemoryBytes);
  }

  private static OrphanedMemory estimate(String hierarchy, CgroupSnapshot p, List<CgroupSnapshot> children) {
    MemorySnapshot m = p.memory().get();
    Optional<Charges> own = m.breakdown().own();
    Clamps clamps = new Clamps(m.charges(), own, children);
    Charges bytes = new Charges(
        clamps.diff(Charges::usageBytes),
        clamps.diff(Charges::fileBytes),
        clamps.diff(Charges::anonBytes),
        clamps.diff(Charges::shmemBytes),
        clamps.diff(Charges::fileMappedBytes),
        clamps.diff(Charges::kernelBytes),
        clamps.diff(Charges::percpuBytes));
    return new OrphanedMemory(hierarchy, p.path(), own.isPresent()
        ? OrphanedMemory.Method.TOTAL_MINUS_LOCAL_MINUS_LIVE_CHILDREN
        : OrphanedMemory.Method.PARENT_MINUS_LIVE_CHILDREN, bytes, clamps.count);
  }

  /** Differences clamped at zero, counting the clamps. */
  private static final class Clamps {
    private final Charges parent;
    private final Optional<Charges> own;
    private final List<Charges> children = new ArrayList<>();
    int count;

    Clamps(Charges parent, Optional<Charges> own, List<CgroupSnapshot> children) {
      this.parent = parent;
      this.own = own;
      children.forEach(c -> this.children.add(Charges.of(c)));
    }

    /** Absent when P, P's own charges (where the kernel has them) or any child lacks the figure. */
    OptionalLong diff(Function<Charges, OptionalLong> figure) {
      OptionalLong total = figure.apply(parent);
      if (total.isEmpty()) {
        return OptionalLong.empty();
      }
      long v = total.getAsLong();
      if (own.isPresent()) {
        OptionalLong local = figure.apply(own.get());
        if (local.isEmpty()) {
          return OptionalLong.empty();
        }
        v = Saturating.subtract(v, local.getAsLong());
      }
      long childSum = 0; // saturating: children near 2^63 must not wrap into invented orphaned bytes
      for (Charges c : children) {
        OptionalLong child = figure.apply(c);
        if (child.isEmpty()) {
          return OptionalLong.empty(); // a child without the figure: the difference would mean nothing
        }
        childSum = Saturating.add(childSum, child.getAsLong());
      }
      v = Saturating.subtract(v, childSum);
      if (v < 0) {
        count++;
        return OptionalLong.of(0);
      }
      return OptionalLong.of(v);
    }
  }
}
