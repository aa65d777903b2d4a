package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.ControllerListParser;
import io.cgwatch.cgroupfs.parse.FlatKeyedParser;
import io.cgwatch.cgroupfs.parse.LimitParser;
import io.cgwatch.cgroupfs.parse.PressureParser;
import io.cgwatch.cgroupfs.parse.SingleValueParser;
import io.cgwatch.model.CgroupSnapshot;
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

/** Reads one cgroup v2 directory into a {@link CgroupSnapshot}. Stateless. */
final class V2CgroupReader {
  static final String NR_SUBSYS_PREFIX = "nr_subsys_";
  static final String NR_DYING_SUBSYS_PREFIX = "nr_dying_subsys_";

  private V2CgroupReader() {}

  static CgroupSnapshot read(String hierarchy, CgroupDir dir, ScanContext ctx) throws CgroupVanishedException {
    Optional<Map<String, Long>> stat = ctx.read(dir, "cgroup.stat", FlatKeyedParser::parse);
    Optional<Map<String, Long>> events = ctx.read(dir, "cgroup.events", FlatKeyedParser::parse);
    Optional<List<String>> controllers = ctx.read(dir, "cgroup.controllers", ControllerListParser::parse);
    Optional<List<String>> subtreeControl = ctx.read(dir, "cgroup.subtree_control", ControllerListParser::parse);
    return new CgroupSnapshot(
        hierarchy,
        2,
        dir.cgroupPath(),
        dir.inode(),
        dir.depth(),
        dir.childCount(),
        Instant.ofEpochMilli(dir.lastActivityMillis()),
        events.flatMap(e -> Optional.ofNullable(e.get("populated"))).map(v -> v != 0),
        value(stat, "nr_descendants"),
        value(stat, "nr_dying_descendants"),
        stat.flatMap(s -> withPrefix(s, NR_SUBSYS_PREFIX)),
        stat.flatMap(s -> withPrefix(s, NR_DYING_SUBSYS_PREFIX)),
        controllers,
        subtreeControl,
        Optional.of(readMemory(dir, ctx, chargesChildren(dir, subtreeControl))).filter(m -> !m.isEmpty()),
        Optional.of(readPressure(dir, ctx)).filter(p -> !p.isEmpty()),
        Optional.of(readPids(dir, ctx)).filter(p -> !p.isEmpty()),
        events.flatMap(e -> Optional.ofNullable(e.get("frozen"))).map(v -> v != 0));
  }

  /** The root's memory.stat is host-wide; below it, children are charged to a parent that delegates memory. */
  private static boolean chargesChildren(CgroupDir dir, Optional<List<String>> subtreeControl) {
    return dir.depth() > 0 && subtreeControl.map(l -> l.contains("memory")).orElse(false);
  }

  private static MemorySnapshot readMemory(CgroupDir dir, ScanContext ctx, boolean childrenCharged)
      throws CgroupVanishedException {
    // Read in this order (memory.stat last, as the fault and vanish tests expect), then built.
    OptionalLong current = single(ctx, dir, "memory.current");
    Optional<Limit> min = ctx.read(dir, "memory.min", LimitParser::parse);
    Optional<Limit> low = ctx.read(dir, "memory.low", LimitParser::parse);
    Optional<Limit> high = ctx.read(dir, "memory.high", LimitParser::parse);
    Optional<Limit> max = ctx.read(dir, "memory.max", LimitParser::parse);
    OptionalLong peak = single(ctx, dir, "memory.peak");
    OptionalLong swap = single(ctx, dir, "memory.swap.current");
    Optional<Limit> swapMax = ctx.read(dir, "memory.swap.max", LimitParser::parse);
    Optional<Map<String, Long>> swapEvents = ctx.read(dir, "memory.swap.events", FlatKeyedParser::parse);
    Optional<Map<String, Long>> events = ctx.read(dir, "memory.events", FlatKeyedParser::parse);
    Optional<Map<String, Long>> eventsLocal = ctx.read(dir, "memory.events.local", FlatKeyedParser::parse);
    Optional<Map<String, Long>> stat = ctx.read(dir, "memory.stat", FlatKeyedParser::parse);
    return new MemorySnapshot(current, min, low, high, max, peak, swap, events, eventsLocal, stat,
        stat.map(MemoryStatTranslation::v2).orElse(MemoryStat.NONE), childrenCharged,
        new MemoryDepth(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
            Optional.empty(), swapMax, swapEvents));
  }

  private static PressureSnapshot readPressure(CgroupDir dir, ScanContext ctx) throws CgroupVanishedException {
    return new PressureSnapshot(
        ctx.read(dir, "memory.pressure", PressureParser::parse),
        ctx.read(dir, "cpu.pressure", PressureParser::parse),
        ctx.read(dir, "io.pressure", PressureParser::parse));
  }

  private static PidsSnapshot readPids(CgroupDir dir, ScanContext ctx) throws CgroupVanishedException {
    return new PidsSnapshot(single(ctx, dir, "pids.current"), ctx.read(dir, "pids.max", LimitParser::parse),
        ctx.read(dir, "pids.events", FlatKeyedParser::parse));
  }

  static OptionalLong single(ScanContext ctx, CgroupDir dir, String file) throws CgroupVanishedException {
    Optional<Long> v = ctx.read(dir, file, SingleValueParser::parseLong);
    return v.isPresent() ? OptionalLong.of(v.get()) : OptionalLong.empty();
  }

  static OptionalLong value(Optional<Map<String, Long>> map, String key) {
    Long v = map.map(m -> m.get(key)).orElse(null);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** {@code nr_subsys_memory 3} → {@code memory=3}; absent when the kernel prints no such line (before 6.11). */
  static Optional<Map<String, Long>> withPrefix(Map<String, Long> stat, String prefix) {
    Map<String, Long> out = new TreeMap<>();
    stat.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }
}
