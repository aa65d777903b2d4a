package io.cgwatch.cgroupfs;

import io.cgwatch.model.Charges;
import io.cgwatch.model.MemoryStat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one place that knows {@code memory.stat}'s key names of each cgroup version (kernel-facts §5): v2 keys are
 * hierarchical; v1 prints local keys and, prefixed {@code total_}, the subtree's. Stateless.
 */
final class MemoryStatTranslation {
  private MemoryStatTranslation() {}

  static MemoryStat v2(Map<String, Long> stat) {
    return new MemoryStat(get(stat, "file"), get(stat, "anon"), get(stat, "shmem"), get(stat, "file_mapped"),
        get(stat, "file_dirty"), get(stat, "file_writeback"), get(stat, "kernel"), get(stat, "slab"),
        get(stat, "percpu"), get(stat, "sock"), Optional.empty(), Optional.empty());
  }

  static MemoryStat v1(Map<String, Long> stat) {
    Charges own = new Charges(OptionalLong.empty(), get(stat, "cache"), get(stat, "rss"), get(stat, "shmem"),
        get(stat, "mapped_file"), OptionalLong.empty(), OptionalLong.empty());
    return new MemoryStat(get(stat, "total_cache"), get(stat, "total_rss"), get(stat, "total_shmem"),
        get(stat, "total_mapped_file"), get(stat, "total_dirty"), get(stat, "total_writeback"), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.of(own),
        Optional.of(new MemoryStat.DirtyPages(get(stat, "dirty"), get(stat, "writeback"))));
  }

  private static OptionalLong get(Map<String, Long> stat, String key) {
    Long v = stat.get(key);
    return v == null ? OptionalLong.empty() : SharedValues.optionalLong(v);
  }
}
