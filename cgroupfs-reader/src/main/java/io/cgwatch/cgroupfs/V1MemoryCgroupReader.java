package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.FlatKeyedParser;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Limit;
import io.cgwatch.model.MemoryDepth;
import io.cgwatch.model.MemorySnapshot;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads one directory of a v1 memory hierarchy: {@code memory.usage_in_bytes}, {@code memory.limit_in_bytes},
 * the depth files ({@code memory.failcnt}, {@code memory.max_usage_in_bytes}, {@code memory.kmem.usage_in_bytes},
 * {@code memory.kmem.max_usage_in_bytes}, {@code memory.oom_control}), {@code memory.stat} (local keys and the {@code total_*} keys that cover the subtree, dying descendants
 * included), and a leaf's {@code cgroup.procs} to know whether it is populated. v1 has no {@code cgroup.stat} or
 * {@code cgroup.events}: those fields stay absent. Stateless.
 */
final class V1MemoryCgroupReader {
  private V1MemoryCgroupReader() {}

  /** A PID's first digit says populated without a String of the file; anything else decides as the String did. */
  static boolean populated(byte[] procs, int len) {
    if (len > 0 && procs[0] >= '0' && procs[0] <= '9') {
      return true;
    }
    return !new String(procs, 0, len, java.nio.charset.StandardCharsets.UTF_8).isBlank();
  }

  static CgroupSnapshot read(String hierarchy, CgroupDir dir, ScanContext ctx) throws CgroupVanishedException {
    OptionalLong usage = V2CgroupReader.single(ctx, dir, "memory.usage_in_bytes");
    boolean slow = ctx.options().readsSlowTier(hierarchy, dir);
    Optional<Limit> limit = slow ? V2CgroupReader.limit(ctx, dir, "memory.limit_in_bytes") : Optional.empty();
    OptionalLong kmem = V2CgroupReader.single(ctx, dir, "memory.kmem.usage_in_bytes"); // fast: why still dying
    MemoryDepth depth = slow
        ? new MemoryDepth(
            V2CgroupReader.single(ctx, dir, "memory.failcnt"),
            V2CgroupReader.single(ctx, dir, "memory.max_usage_in_bytes"),
            kmem,
            V2CgroupReader.single(ctx, dir, "memory.kmem.max_usage_in_bytes"),
            ctx.read(dir, "memory.oom_control", FlatKeyedParser::parseBytes),
            Optional.empty(),
            Optional.empty())
        : MemoryDepth.NONE.withKmemUsageBytes(kmem);
    Optional<Map<String, Long>> stat = ctx.read(dir, "memory.stat", FlatKeyedParser::parseBytes);
    MemorySnapshot memory = new MemorySnapshot(
        usage,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        limit,
        OptionalLong.empty(),
        OptionalLong.empty(),
        Optional.empty(),
        Optional.empty(),
        stat,
        MemoryStatTranslation.v1(stat.orElse(Map.of())), // own charges present (empty) even without the file
        true, // v1 is hierarchical everywhere: total_* of a parent covers its children
        depth);
    // v1 has no cgroup.events; a leaf's own cgroup.procs says whether it is populated.
    Optional<Boolean> populated = dir.childCount() == 0 && dir.depth() > 0
        ? ctx.read(dir, "cgroup.procs", V1MemoryCgroupReader::populated)
        : Optional.empty();
    return new CgroupSnapshot(hierarchy, 1, dir.cgroupPath(), dir.inode(), dir.depth(), dir.childCount(),
        Instant.ofEpochMilli(dir.lastActivityMillis()), populated,
        OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(memory).filter(m -> !m.isEmpty()), Optional.empty(), Optional.empty(),
        Optional.empty());
  }
}
