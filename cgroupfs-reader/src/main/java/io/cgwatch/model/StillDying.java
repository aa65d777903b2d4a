package io.cgwatch.model;

import java.util.List;
import java.util.OptionalLong;

/**
 * Why removed memory cgroups are still dying: per live parent, what its dying descendants still hold and the cause
 * that follows (the remedy advice is chosen from it), and what the dying memcgs cost the host in kernel memory.
 *
 * @param parents the live parents with dying descendants whose nearest live ancestor they are (v2: the parent's
 *     dying count minus its live children's), or, where the kernel counts only host-wide (v1), the parents with
 *     something left behind; deepest first within a hierarchy, as the estimates are made
 * @param cost the kernel memory of the dying memcgs themselves
 */
public record StillDying(List<ParentCause> parents, DyingCost cost) {
  public static final StillDying NONE = new StillDying(List.of(), DyingCost.NONE);

  public StillDying {
    parents = List.copyOf(parents);
  }

  /** What pins a parent's dying descendants, in the order the advice tries them. */
  public enum Cause {
    /** Dirty or writeback page cache: reclaim cannot drop it until it is written, so {@code sync} comes first. */
    DIRTY_PAGE_CACHE("dirty_page_cache"),
    /** Clean, unmapped page cache: reclaim drops it ({@code memory.reclaim} on v2, {@code drop_caches} on v1). */
    PAGE_CACHE("page_cache"),
    /** Page cache mapped by live processes, or tmpfs/shm: no reclaim drops it; it goes with its mappers or files. */
    MAPPED_OR_SHMEM("mapped_or_shmem"),
    /** Kernel memory on a kernel that does not reparent it at removal (before 5.15): freed slab releases it. */
    KERNEL_MEMORY("kernel_memory"),
    /** Nothing measurable is left: the kernel should free them soon (a dirty inode or swap can still hold them). */
    NOTHING_CHARGED("nothing_charged"),
    /** The figures that would tell are missing (the root's memory.stat is host-wide, a file was unreadable). */
    UNKNOWN("unknown");

    private final String label;

    Cause(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One parent. Byte figures are what the parent holds that no live child accounts for (an upper bound, like
   * {@link OrphanedMemory}); each is absent where the kernel has no such figure.
   *
   * @param dying dying descendants whose nearest live ancestor is this parent; absent on v1 (host-wide count only)
   * @param kernelBytes v2 {@code kernel} (or {@code slab} before 5.18) without {@code percpu}; v1
   *     {@code memory.kmem.usage_in_bytes}, which also holds the parent's own kernel memory
   * @param kernelPins whether kernel memory keeps a removed memcg dying on this kernel (before 5.15: slab before
   *     5.9, kernel stacks before 5.14, kernel-facts §3.2); absent when the kernel version is unknown
   */
  public record ParentCause(String hierarchy, String path, OptionalLong dying, Cause cause, OptionalLong fileBytes,
      OptionalLong dirtyBytes, OptionalLong writebackBytes, OptionalLong mappedOrShmemBytes, OptionalLong kernelBytes,
      java.util.Optional<Boolean> kernelPins) {}

  /**
   * The kernel memory of the dying memcgs themselves (their per-CPU statistics and structures), not what they pin.
   *
   * @param dying dying memory cgroups host-wide
   * @param memcgs live plus dying memory cgroups, the ones sharing the measured per-CPU memory
   * @param percpuMeasuredBytes the host's per-CPU memory, {@code Percpu:} of {@code /proc/meminfo}
   * @param perCpuEstimateBytes the estimated per-CPU part of one memcg, 2 KiB × CPUs (kernel-facts §3.4)
   * @param perCpuMeasuredAtMostBytes {@code percpuMeasuredBytes / memcgs}: at most this much per memcg (other
   *     per-CPU users share the figure)
   * @param perMemcgBytes what one dying memcg is counted at: the smaller per-CPU part plus the fixed 10 KiB
   * @param method {@code meminfo_percpu} when the measurement capped the estimate, {@code estimate} otherwise
   * @param dyingBytes {@code dying × perMemcgBytes}
   */
  public record DyingCost(OptionalLong dying, OptionalLong memcgs, OptionalLong percpuMeasuredBytes,
      OptionalLong perCpuEstimateBytes, OptionalLong perCpuMeasuredAtMostBytes, OptionalLong perMemcgBytes,
      String method, OptionalLong dyingBytes) {
    public static final String ESTIMATE = "estimate";
    public static final String MEMINFO_PERCPU = "meminfo_percpu";
    public static final DyingCost NONE = new DyingCost(OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), ESTIMATE,
        OptionalLong.empty());
  }
}
