package io.cgwatch.model;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The memory controller's depth files: limits hit, high-water marks, OOM and swap state, and v1 kernel memory. Each
 * field is absent where the kernel has no such file (the other version, the root, an older kernel, a kernel built
 * without v1 kmem accounting), never zero.
 *
 * <ul>
 *   <li>{@code failcnt}: v1 {@code memory.failcnt}, how often usage hit the limit (v2: {@code memory.events max})
 *   <li>{@code maxUsageBytes}: v1 {@code memory.max_usage_in_bytes} (v2: {@code memory.peak})
 *   <li>{@code kmemUsageBytes}, {@code kmemMaxUsageBytes}: v1 {@code memory.kmem.usage_in_bytes} and
 *       {@code memory.kmem.max_usage_in_bytes}: kernel memory (slab, stacks, per-CPU data) of the cgroup and its
 *       subtree, dying descendants included, already counted in the usage (v2: {@code memory.stat kernel})
 *   <li>{@code oomControl}: v1 {@code memory.oom_control}: {@code oom_kill_disable}, {@code under_oom},
 *       {@code oom_kill} (4.13+)
 *   <li>{@code swapMax}, {@code swapEvents}: v2 {@code memory.swap.max} and {@code memory.swap.events}
 *       ({@code high}, {@code max}, {@code fail})
 * </ul>
 */
public record MemoryDepth(
    OptionalLong failcnt,
    OptionalLong maxUsageBytes,
    OptionalLong kmemUsageBytes,
    OptionalLong kmemMaxUsageBytes,
    Optional<Map<String, Long>> oomControl,
    Optional<Limit> swapMax,
    Optional<Map<String, Long>> swapEvents) {

  public static final MemoryDepth NONE = new MemoryDepth(OptionalLong.empty(), OptionalLong.empty(),
      OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public MemoryDepth {
    oomControl = KeyedCounters.immutableIn(oomControl);
    swapEvents = KeyedCounters.immutableIn(swapEvents);
  }

  /** The same depth with another kernel memory usage (a scan that read only that, the fast tier, carries the rest). */
  public MemoryDepth withKmemUsageBytes(OptionalLong kmem) {
    if (kmem.equals(kmemUsageBytes)) {
      return this; // v2, and a v1 cgroup whose kmem usage did not move: nothing new to build
    }
    return new MemoryDepth(failcnt, maxUsageBytes, kmem, kmemMaxUsageBytes, oomControl, swapMax, swapEvents);
  }

  /** v1 {@code memory.oom_control oom_kill}: OOM kills in this cgroup. */
  public OptionalLong oomKills() {
    Long v = oomControl.map(m -> m.get("oom_kill")).orElse(null);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** v1 {@code memory.oom_control under_oom}: the cgroup is in OOM right now (tasks wait when the killer is off). */
  public Optional<Boolean> underOom() {
    return oomControl.flatMap(m -> Optional.ofNullable(m.get("under_oom"))).map(v -> v != 0);
  }

  public boolean isEmpty() {
    return failcnt.isEmpty() && maxUsageBytes.isEmpty() && kmemUsageBytes.isEmpty() && kmemMaxUsageBytes.isEmpty()
        && oomControl.isEmpty() && swapMax.isEmpty() && swapEvents.isEmpty();
  }
}
