package io.cgwatch.model;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Memory of one cgroup, in bytes, from either cgroup version. Every field is absent when the kernel did not
 * provide it (root cgroup, controller off, older kernel, v1), never zero.
 *
 * <ul>
 *   <li>{@code currentBytes}: v2 {@code memory.current}; v1 {@code memory.usage_in_bytes}.
 *   <li>{@code max}: v2 {@code memory.max}; v1 {@code memory.limit_in_bytes}.
 *   <li>{@code min}, {@code low}, {@code high}, {@code peakBytes}, {@code swapCurrentBytes}, events: v2 only.
 *   <li>{@code stat}: {@code memory.stat} with the kernel's own key names (v2 {@code file}, v1
 *       {@code total_cache}), unknown keys kept. Sizes are bytes; {@code pg*}, {@code workingset_*} and
 *       {@code thp_*} are event counts, as the kernel prints them. For the JSON report only: everything
 *       else reads {@code breakdown}.
 *   <li>{@code breakdown}: {@code memory.stat} in one vocabulary for both versions ({@link MemoryStat}).
 *   <li>{@code childrenCharged}: this cgroup's figures are the sum of its own and its subtree's charges, so
 *       {@code parent − Σ live children} is what no live child accounts for. v1: always; v2: when {@code memory}
 *       is in its {@code cgroup.subtree_control}, never the root (whose memory.stat is host-wide).
 *   <li>{@code depth}: the depth files ({@link MemoryDepth}: v1 failcnt, oom_control, max usage, kmem; v2 swap
 *       max and events); {@link MemoryDepth#NONE} when the kernel has none of them.
 * </ul>
 */
public record MemorySnapshot(
    OptionalLong currentBytes,
    Optional<Limit> min,
    Optional<Limit> low,
    Optional<Limit> high,
    Optional<Limit> max,
    OptionalLong peakBytes,
    OptionalLong swapCurrentBytes,
    Optional<Map<String, Long>> events,
    Optional<Map<String, Long>> eventsLocal,
    Optional<Map<String, Long>> stat,
    MemoryStat breakdown,
    boolean childrenCharged,
    MemoryDepth depth) {

  public MemorySnapshot {
    events = KeyedCounters.immutableIn(events);
    eventsLocal = KeyedCounters.immutableIn(eventsLocal);
    stat = KeyedCounters.immutableIn(stat);
  }

  /** What the cgroup and its subtree are charged, in one vocabulary for both versions. */
  public Charges charges() {
    return breakdown.charges(currentBytes);
  }

  public boolean isEmpty() {
    return currentBytes.isEmpty() && min.isEmpty() && low.isEmpty() && high.isEmpty() && max.isEmpty()
        && peakBytes.isEmpty() && swapCurrentBytes.isEmpty() && events.isEmpty() && eventsLocal.isEmpty()
        && stat.isEmpty() && depth.isEmpty();
  }
}
