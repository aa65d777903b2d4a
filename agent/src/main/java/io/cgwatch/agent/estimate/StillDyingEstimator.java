package io.cgwatch.agent.estimate;

import io.cgwatch.model.Capabilities;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HostOrphaned;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.MemcgIds;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.MemoryStat;
import io.cgwatch.model.Saturating;
import io.cgwatch.model.StillDying;
import io.cgwatch.model.StillDying.Cause;
import io.cgwatch.model.StillDying.DyingCost;
import io.cgwatch.model.StillDying.ParentCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Why removed memory cgroups are still dying (kernel-facts §3.2–3.5), per live parent, from one snapshot. Pure.
 * What each parent holds that no live child accounts for is split into dirty or writeback page cache, clean page
 * cache, mapped or tmpfs page cache, and kernel memory; the first that is present is the cause, because it is what
 * the remedy must deal with first (dirty pages: {@code sync} before any reclaim; a dirty inode pinned v2 memcgs for
 * minutes after a successful reclaim in ZombiesWithPageCacheTest).
 */
public final class StillDyingEstimator {
  private StillDyingEstimator() {}

  public static StillDying estimate(HostSnapshot s, Optional<MemcgIds> ids) {
    List<ParentCause> parents = new ArrayList<>();
    s.memoryHierarchy().ifPresent(h -> HierarchyIndex.of(s).stream()
        .filter(idx -> idx.hierarchy.name().equals(h.name()))
        .forEach(idx -> parents.addAll(h.version() == 1 ? v1(s, idx) : v2(s, idx))));
    return new StillDying(parents, cost(s, ids));
  }

  /** v2: the parents whose own dying count (theirs minus their live children's) is above 0. */
  private static List<ParentCause> v2(HostSnapshot s, HierarchyIndex idx) {
    List<ParentCause> out = new ArrayList<>();
    for (CgroupSnapshot p : idx.cgroups) {
      OptionalLong dying = dying(p);
      if (dying.isEmpty() || dying.getAsLong() == 0) {
        continue;
      }
      long own = dying.getAsLong();
      for (CgroupSnapshot c : idx.childrenOf(p)) {
        own -= dying(c).orElse(0);
      }
      if (own > 0) {
        out.add(parent(s, idx, p, OptionalLong.of(own)));
      }
    }
    return out;
  }

  /** {@code nr_dying_subsys_memory} (6.11+) where printed: nr_dying_descendants also counts non-memory cgroups. */
  private static OptionalLong dying(CgroupSnapshot c) {
    OptionalLong memory = c.nrDyingSubsys("memory");
    return memory.isPresent() ? memory : c.nrDyingDescendants();
  }

  /**
   * v1 counts dying memcgs only host-wide: the parents that hold something no live child accounts for, or the
   * root when none does but some are dying.
   */
  private static List<ParentCause> v1(HostSnapshot s, HierarchyIndex idx) {
    List<ParentCause> out = new ArrayList<>();
    if (s.dyingMemoryCgroups().count().orElse(0) == 0) {
      return out;
    }
    Optional<CgroupSnapshot> root = Optional.empty();
    for (CgroupSnapshot p : idx.cgroups) {
      root = p.depth() == 0 ? Optional.of(p) : root;
      ParentCause c = parent(s, idx, p, OptionalLong.empty());
      if (c.cause() != Cause.NOTHING_CHARGED && c.cause() != Cause.UNKNOWN) {
        out.add(c);
      }
    }
    if (out.isEmpty() && root.isPresent()) {
      out.add(parent(s, idx, root.get(), OptionalLong.empty()));
    }
    return out;
  }

  private static ParentCause parent(HostSnapshot s, HierarchyIndex idx, CgroupSnapshot p, OptionalLong dying) {
    Capabilities caps = s.capabilities();
    Optional<Boolean> kernelPins = caps.kernel().map(k -> !k.atLeast(5, 15));
    Optional<MemorySnapshot> m = p.memory();
    if (m.isEmpty() || !m.get().childrenCharged() || !idx.allChildrenRead(p)) {
      return new ParentCause(idx.hierarchy.name(), p.path(), dying, Cause.UNKNOWN, OptionalLong.empty(),
          OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), kernelPins);
    }
    List<CgroupSnapshot> children = idx.childrenOf(p);
    MemoryStat stat = m.get().breakdown();
    OptionalLong file = left(p, children, MemoryStat::fileBytes, st -> st.own().map(o -> o.fileBytes()));
    OptionalLong dirty = left(p, children, MemoryStat::fileDirtyBytes,
        st -> st.ownDirty().map(MemoryStat.DirtyPages::dirtyBytes));
    OptionalLong writeback = left(p, children, MemoryStat::fileWritebackBytes,
        st -> st.ownDirty().map(MemoryStat.DirtyPages::writebackBytes));
    OptionalLong mapped = left(p, children, StillDyingEstimator::mappedOrShmem,
        st -> st.own().map(o -> sum(o.fileMappedBytes(), o.shmemBytes())));
    OptionalLong kernel = kernelLeft(p, children);
    if (file.isPresent() && mapped.isPresent()) {
      mapped = OptionalLong.of(Math.min(mapped.getAsLong(), file.getAsLong())); // mapped shmem counts once
    }
    Cause cause = classify(caps, file, dirty, writeback, mapped, kernel, kernelPins);
    return new ParentCause(idx.hierarchy.name(), p.path(), dying, cause, file, dirty, writeback, mapped, kernel,
        kernelPins);
  }

  static Cause classify(Capabilities caps, OptionalLong file, OptionalLong dirty, OptionalLong writeback,
      OptionalLong mappedOrShmem, OptionalLong kernel, Optional<Boolean> kernelPins) {
    if (dirty.orElse(0) + writeback.orElse(0) > 0) {
      return Cause.DIRTY_PAGE_CACHE;
    }
    // From 7.1 page cache moves to the parent at removal: what is left there no longer pins anything.
    boolean pageCachePins = !caps.reparentsPageCache().orElse(false);
    long fileLeft = file.orElse(0);
    long mappedLeft = mappedOrShmem.orElse(0);
    if (pageCachePins && fileLeft - mappedLeft > 0) {
      return Cause.PAGE_CACHE;
    }
    if (pageCachePins && mappedLeft > 0) {
      return Cause.MAPPED_OR_SHMEM;
    }
    if (kernelPins.orElse(false) && kernel.orElse(0) > 0) {
      return Cause.KERNEL_MEMORY;
    }
    return file.isEmpty() ? Cause.UNKNOWN : Cause.NOTHING_CHARGED;
  }

  private static OptionalLong mappedOrShmem(MemoryStat st) {
    return sum(st.fileMappedBytes(), st.shmemBytes());
  }

  private static OptionalLong sum(OptionalLong a, OptionalLong b) {
    if (a.isEmpty() && b.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Saturating.add(a.orElse(0), b.orElse(0)));
  }

  /**
   * {@code X(P) − own X(P) − Σ X(live children)}, clamped at 0 (reads are not atomic); absent when P, P's own figure
   * (where the version splits it out) or a child lacks it.
   */
  private static OptionalLong left(CgroupSnapshot p, List<CgroupSnapshot> children,
      Function<MemoryStat, OptionalLong> figure, Function<MemoryStat, Optional<OptionalLong>> ownFigure) {
    MemoryStat st = p.memory().get().breakdown();
    OptionalLong total = figure.apply(st);
    if (total.isEmpty()) {
      return total;
    }
    long v = total.getAsLong();
    Optional<OptionalLong> own = ownFigure.apply(st);
    if (own.isPresent()) {
      if (own.get().isEmpty()) {
        return OptionalLong.empty();
      }
      v = Saturating.subtract(v, own.get().getAsLong());
    }
    for (CgroupSnapshot c : children) {
      OptionalLong x = c.memory().map(mm -> figure.apply(mm.breakdown())).orElse(OptionalLong.empty());
      if (x.isEmpty()) {
        return x;
      }
      v = Saturating.subtract(v, x.getAsLong());
    }
    return OptionalLong.of(Math.max(0, v));
  }

  /** Kernel memory left at P: v2 {@code kernel} (or {@code slab}) less {@code percpu}; v1 kmem usage. */
  private static OptionalLong kernelLeft(CgroupSnapshot p, List<CgroupSnapshot> children) {
    OptionalLong v = kernelOf(p);
    if (v.isEmpty()) {
      return v;
    }
    long left = v.getAsLong();
    for (CgroupSnapshot c : children) {
      OptionalLong x = kernelOf(c);
      if (x.isEmpty()) {
        return x;
      }
      left = Saturating.subtract(left, x.getAsLong());
    }
    return OptionalLong.of(Math.max(0, left));
  }

  /**
   * The per-memcg structures are allocated with the parent as the active memcg (kernel-facts §3.4): {@code percpu}
   * at a parent is its children's statistics, not what pins them, so it is left out.
   */
  private static OptionalLong kernelOf(CgroupSnapshot c) {
    Optional<MemorySnapshot> m = c.memory();
    if (m.isEmpty()) {
      return OptionalLong.empty();
    }
    OptionalLong kmem = m.get().depth().kmemUsageBytes();
    if (kmem.isPresent()) {
      return kmem;
    }
    MemoryStat st = m.get().breakdown();
    OptionalLong kernel = st.kernelBytes().isPresent() ? st.kernelBytes() : st.slabBytes();
    return kernel.isEmpty() ? kernel
        : OptionalLong.of(Math.max(0, Saturating.subtract(kernel.getAsLong(), st.percpuBytes().orElse(0))));
  }

  /**
   * The dying memcgs' own kernel memory: the estimate of kernel-facts §3.4 (2 KiB × CPUs + 10 KiB), with the per-CPU
   * part capped by what the kernel measures, {@code Percpu:} shared among every live and dying memcg.
   */
  static DyingCost cost(HostSnapshot s, Optional<MemcgIds> ids) {
    OptionalLong dying = s.dyingMemoryCgroups().count();
    OptionalLong percpu = s.host().percpuBytes();
    OptionalLong memcgs = ids.isPresent() && dying.isPresent()
        ? OptionalLong.of("live".equals(ids.get().rule())
            ? Saturating.add(ids.get().inUse(), dying.getAsLong()) : ids.get().inUse())
        : OptionalLong.empty();
    OptionalLong estimate = s.host().cpus().isPresent()
        ? OptionalLong.of(HostOrphaned.PER_CPU_BYTES * s.host().cpus().getAsInt()) : OptionalLong.empty();
    OptionalLong measured = percpu.isPresent() && memcgs.isPresent() && memcgs.getAsLong() > 0
        ? OptionalLong.of(percpu.getAsLong() / memcgs.getAsLong()) : OptionalLong.empty();
    OptionalLong perCpu = estimate;
    String method = DyingCost.ESTIMATE;
    if (measured.isPresent() && (estimate.isEmpty() || measured.getAsLong() < estimate.getAsLong())) {
      perCpu = measured; // the kernel's figure is a true upper bound; the estimate was above it
      method = DyingCost.MEMINFO_PERCPU;
    }
    OptionalLong perMemcg = perCpu.isPresent()
        ? OptionalLong.of(Saturating.add(perCpu.getAsLong(), HostOrphaned.FIXED_BYTES)) : OptionalLong.empty();
    OptionalLong dyingBytes = perMemcg.isPresent() && dying.isPresent()
        ? OptionalLong.of(Saturating.multiply(dying.getAsLong(), perMemcg.getAsLong())) : OptionalLong.empty();
    return new DyingCost(dying, memcgs, percpu, estimate, measured, perMemcg, method, dyingBytes);
  }
}
