package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.ControllerListParser;
import io.cgwatch.cgroupfs.parse.FlatKeyedParser;
import io.cgwatch.cgroupfs.parse.LimitParser;
import io.cgwatch.cgroupfs.parse.PressureParser;
import io.cgwatch.cgroupfs.parse.SingleValueParser;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.KeyedCounters;
import io.cgwatch.model.Limit;
import io.cgwatch.model.MemoryDepth;
import io.cgwatch.model.MemoryStat;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.PidsSnapshot;
import io.cgwatch.model.PressureSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads one cgroup v2 directory into a {@link CgroupSnapshot}. Stateless. The files of the fast tier
 * ({@link ReadPlan#V2_FAST_FILES}) are read in every scan; those of the slow tier ({@link ReadPlan#V2_SLOW_FILES})
 * unless {@link ScanOptions#slowTierCarried} names this cgroup, and then they stay absent here and the caller
 * carries them forward ({@link SlowTierCarry}). Files the scan reads many times are parsed from bytes
 * ({@code parseBytes}); {@code ctx.read(dir, file, SomeParser::parse)} with a String parser works the same.
 */
final class V2CgroupReader {
  static final String NR_SUBSYS_PREFIX = "nr_subsys_";
  static final String NR_DYING_SUBSYS_PREFIX = "nr_dying_subsys_";

  private V2CgroupReader() {}

  static CgroupSnapshot read(String hierarchy, CgroupDir dir, ScanContext ctx) throws CgroupVanishedException {
    boolean slow = ctx.options().readsSlowTier(hierarchy, dir);
    Optional<Map<String, Long>> stat = ctx.read(dir, "cgroup.stat", FlatKeyedParser::parseBytes);
    Optional<Map<String, Long>> events = ctx.read(dir, "cgroup.events", FlatKeyedParser::parseBytes);
    Optional<List<String>> controllers = ctx.read(dir, "cgroup.controllers", ControllerListParser::parseBytes);
    Optional<List<String>> subtreeControl =
        ctx.read(dir, "cgroup.subtree_control", ControllerListParser::parseBytes);
    return new CgroupSnapshot(
        hierarchy,
        2,
        dir.cgroupPath(),
        dir.inode(),
        dir.depth(),
        dir.childCount(),
        Instant.ofEpochMilli(dir.lastActivityMillis()),
        SharedValues.flag(events, "populated"),
        value(stat, "nr_descendants"),
        value(stat, "nr_dying_descendants"),
        stat.isEmpty() ? Optional.empty() : withPrefix(stat.get(), NR_SUBSYS_PREFIX),
        stat.isEmpty() ? Optional.empty() : withPrefix(stat.get(), NR_DYING_SUBSYS_PREFIX),
        controllers,
        subtreeControl,
        Optional.of(readMemory(dir, ctx, chargesChildren(dir, subtreeControl), slow)).filter(m -> !m.isEmpty()),
        slow ? Optional.of(readPressure(dir, ctx)).filter(p -> !p.isEmpty()) : Optional.empty(),
        slow ? Optional.of(readPids(dir, ctx)).filter(p -> !p.isEmpty()) : Optional.empty(),
        SharedValues.flag(events, "frozen"));
  }

  /** The root's memory.stat is host-wide; below it, children are charged to a parent that delegates memory. */
  private static boolean chargesChildren(CgroupDir dir, Optional<List<String>> subtreeControl) {
    return dir.depth() > 0 && subtreeControl.map(l -> l.contains("memory")).orElse(false);
  }

  private static MemorySnapshot readMemory(CgroupDir dir, ScanContext ctx, boolean childrenCharged, boolean slow)
      throws CgroupVanishedException {
    // Read in this order (memory.stat last, as the fault and vanish tests expect), then built.
    OptionalLong current = single(ctx, dir, "memory.current");
    Optional<Limit> min = slow ? limit(ctx, dir, "memory.min") : Optional.empty();
    Optional<Limit> low = slow ? limit(ctx, dir, "memory.low") : Optional.empty();
    Optional<Limit> high = slow ? limit(ctx, dir, "memory.high") : Optional.empty();
    Optional<Limit> max = slow ? limit(ctx, dir, "memory.max") : Optional.empty();
    OptionalLong peak = slow ? single(ctx, dir, "memory.peak") : OptionalLong.empty();
    OptionalLong swap = slow ? single(ctx, dir, "memory.swap.current") : OptionalLong.empty();
    Optional<Limit> swapMax = slow ? limit(ctx, dir, "memory.swap.max") : Optional.empty();
    Optional<Map<String, Long>> swapEvents =
        slow ? ctx.read(dir, "memory.swap.events", FlatKeyedParser::parseBytes) : Optional.empty();
    Optional<Map<String, Long>> events =
        slow ? ctx.read(dir, "memory.events", FlatKeyedParser::parseBytes) : Optional.empty();
    Optional<Map<String, Long>> eventsLocal =
        slow ? ctx.read(dir, "memory.events.local", FlatKeyedParser::parseBytes) : Optional.empty();
    Optional<Map<String, Long>> stat = ctx.read(dir, "memory.stat", FlatKeyedParser::parseBytes);
    return new MemorySnapshot(current, min, low, high, max, peak, swap, events, eventsLocal, stat,
        stat.map(MemoryStatTranslation::v2).orElse(MemoryStat.NONE), childrenCharged,
        swapMax.isEmpty() && swapEvents.isEmpty() ? MemoryDepth.NONE // the fast tier's case: one shared empty
            : new MemoryDepth(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty(), swapMax, swapEvents));
  }

  static Optional<Limit> limit(ScanContext ctx, CgroupDir dir, String file) throws CgroupVanishedException {
    return ctx.read(dir, file, LimitParser::parseBytes);
  }

  private static PressureSnapshot readPressure(CgroupDir dir, ScanContext ctx) throws CgroupVanishedException {
    return new PressureSnapshot(
        ctx.read(dir, "memory.pressure", PressureParser::parseBytes),
        ctx.read(dir, "cpu.pressure", PressureParser::parseBytes),
        ctx.read(dir, "io.pressure", PressureParser::parseBytes));
  }

  private static PidsSnapshot readPids(CgroupDir dir, ScanContext ctx) throws CgroupVanishedException {
    return new PidsSnapshot(single(ctx, dir, "pids.current"), limit(ctx, dir, "pids.max"),
        ctx.read(dir, "pids.events", FlatKeyedParser::parseBytes));
  }

  static OptionalLong single(ScanContext ctx, CgroupDir dir, String file) throws CgroupVanishedException {
    return ctx.readLong(dir, file, SingleValueParser::parseLongBytes);
  }

  static OptionalLong value(Optional<Map<String, Long>> map, String key) {
    return SharedValues.value(map, key);
  }

  /** {@code nr_subsys_memory 3} → {@code memory=3}; absent when the kernel prints no such line (before 6.11). */
  static Optional<Map<String, Long>> withPrefix(Map<String, Long> stat, String prefix) {
    if (stat instanceof KeyedCounters k) { // the common case: no TreeMap, no String per key
      return Optional.ofNullable(k.withPrefix(prefix));
    }
    Map<String, Long> out = new TreeMap<>();
    stat.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }
}
