package io.cgwatch.support;

import io.cgwatch.model.Capabilities;
import io.cgwatch.model.CgroupMode;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.DyingCount;
import io.cgwatch.model.DyingMethod;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.MemoryStat;
import io.cgwatch.model.ScanDiagnostics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Builds synthetic snapshots for tracker tests: a v2 {@code unified} hierarchy or a v1 {@code memory} one. */
public final class Snapshots {
  private final int version;
  private final List<CgroupSnapshot> cgroups = new ArrayList<>();
  private long v1Dying = -1;

  private Snapshots(int version) {
    this.version = version;
  }

  public static Snapshots v2() {
    return new Snapshots(2);
  }

  public static Snapshots v1() {
    return new Snapshots(1);
  }

  /** A v2 cgroup with its kernel dying count and page cache. */
  public Snapshots cgroup(String path, long inode, long nrDyingDescendants, long fileBytes) {
    int depth = "/".equals(path) ? 0 : (int) path.chars().filter(ch -> ch == '/').count();
    Map<String, Long> stat = version == 1 ? Map.of("total_cache", fileBytes, "cache", 0L) : Map.of("file", fileBytes);
    // What the reader's translation makes of these keys (the one place that knows them).
    MemoryStat breakdown = new MemoryStat(OptionalLong.of(fileBytes), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), version == 1 ? Optional.of(new Charges(OptionalLong.empty(), OptionalLong.of(0),
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty())) : Optional.empty());
    MemorySnapshot memory = new MemorySnapshot(OptionalLong.of(fileBytes + 4096), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
        Optional.empty(), Optional.of(stat), breakdown, version == 1); // no subtree_control here: v2 parents are not estimated
    cgroups.add(new CgroupSnapshot(version == 2 ? "unified" : "memory", version, path, inode, depth, 0, Instant.EPOCH,
        Optional.empty(), OptionalLong.empty(),
        version == 2 ? OptionalLong.of(nrDyingDescendants) : OptionalLong.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(memory), Optional.empty(),
        Optional.empty()));
    return this;
  }

  /** v1: the hierarchy-wide dying estimate. */
  public Snapshots v1Dying(long n) {
    v1Dying = n;
    return this;
  }

  public HostSnapshot at(Instant takenAt) {
    HierarchySnapshot h = version == 2
        ? new HierarchySnapshot("unified", 2, "/sys/fs/cgroup", "/", List.of("memory"), cgroups.size(),
            DyingCount.of(cgroups.stream().filter(c -> c.depth() == 0).findFirst()
                .map(c -> c.nrDyingDescendants().getAsLong()).orElse(0L), DyingMethod.NR_DYING_DESCENDANTS))
        : new HierarchySnapshot("memory", 1, "/sys/fs/cgroup/memory", "/", List.of("memory"), cgroups.size(),
            DyingCount.of(Math.max(0, v1Dying), DyingMethod.PROC_CGROUPS));
    Capabilities caps = new Capabilities(Optional.empty(), false, false, false, false, false, List.of(),
        Optional.empty(), Optional.empty(), true);
    return new HostSnapshot(takenAt, HostInfo.UNKNOWN, version == 2 ? CgroupMode.UNIFIED : CgroupMode.LEGACY, caps,
        List.of(h), h.dying(), cgroups, new ScanDiagnostics(Duration.ZERO, cgroups.size(), 0, List.of()));
  }
}
