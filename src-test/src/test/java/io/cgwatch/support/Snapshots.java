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
import io.cgwatch.model.MemoryDepth;
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
  private long live = -1;
  private long vanished;

  private Snapshots(int version) {
    this.version = version;
  }

  public static Snapshots v2() {
    return new Snapshots(2);
  }

  public static Snapshots v1() {
    return new Snapshots(1);
  }

  /** A cgroup with its kernel dying count (v2) and page cache; its usage is that plus 4 KiB. */
  public Snapshots cgroup(String path, long inode, long nrDyingDescendants, long fileBytes) {
    return cgroup(path, inode, nrDyingDescendants, fileBytes, fileBytes + 4096);
  }

  /** A cgroup that never held a charge: usage 0 (an empty cgroup nothing ran in). */
  public Snapshots empty(String path, long inode) {
    return cgroup(path, inode, 0, 0, 0);
  }

  private Snapshots cgroup(String path, long inode, long nrDyingDescendants, long fileBytes, long usageBytes) {
    int depth = "/".equals(path) ? 0 : (int) path.chars().filter(ch -> ch == '/').count();
    Map<String, Long> stat = version == 1 ? Map.of("total_cache", fileBytes, "cache", 0L) : Map.of("file", fileBytes);
    // What the reader's translation makes of these keys (the one place that knows them).
    MemoryStat breakdown = new MemoryStat(OptionalLong.of(fileBytes), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), version == 1 ? Optional.of(new Charges(OptionalLong.empty(), OptionalLong.of(0),
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty())) : Optional.empty(), Optional.empty());
    MemorySnapshot memory = new MemorySnapshot(OptionalLong.of(usageBytes), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
        Optional.empty(), Optional.of(stat), breakdown, version == 1, MemoryDepth.NONE); // no subtree_control here: v2 parents are not estimated
    cgroups.add(new CgroupSnapshot(version == 2 ? "unified" : "memory", version, path, inode, depth, 0, Instant.EPOCH,
        Optional.empty(), OptionalLong.empty(),
        version == 2 ? OptionalLong.of(nrDyingDescendants) : OptionalLong.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(memory), Optional.empty(),
        Optional.empty(), Optional.empty()));
    return this;
  }

  /** The last cgroup added with {@code cgroup.events populated} (v2) or a non-empty {@code cgroup.procs} (v1). */
  public Snapshots populated(boolean populated) {
    CgroupSnapshot c = cgroups.remove(cgroups.size() - 1);
    cgroups.add(new CgroupSnapshot(c.hierarchy(), c.version(), c.path(), c.inode(), c.depth(), c.children(),
        c.lastActivity(), Optional.of(populated), c.nrDescendants(), c.nrDyingDescendants(), c.nrSubsys(),
        c.nrDyingSubsys(), c.controllers(), c.subtreeControl(), c.memory(), c.pressure(), c.pids(), c.frozen()));
    return this;
  }

  /** v1: the hierarchy-wide dying estimate. */
  public Snapshots v1Dying(long n) {
    v1Dying = n;
    return this;
  }

  /** The hierarchy's live count when it is not the cgroups added (v1: every directory is a memcg using an ID). */
  public Snapshots live(long n) {
    live = n;
    return this;
  }

  /** Cgroups the scan saw vanish while it read them (they are not in the snapshot). */
  public Snapshots vanished(long n) {
    vanished = n;
    return this;
  }

  public HostSnapshot at(Instant takenAt) {
    long liveCgroups = live >= 0 ? live : cgroups.size();
    HierarchySnapshot h = version == 2
        ? new HierarchySnapshot("unified", 2, "/sys/fs/cgroup", "/", List.of("memory"), liveCgroups,
            DyingCount.of(cgroups.stream().filter(c -> c.depth() == 0).findFirst()
                .map(c -> c.nrDyingDescendants().getAsLong()).orElse(0L), DyingMethod.NR_DYING_DESCENDANTS))
        : new HierarchySnapshot("memory", 1, "/sys/fs/cgroup/memory", "/", List.of("memory"), liveCgroups,
            DyingCount.of(Math.max(0, v1Dying), DyingMethod.PROC_CGROUPS));
    Capabilities caps = new Capabilities(Optional.empty(), false, false, false, false, false, List.of(),
        Optional.empty(), Optional.empty(), true);
    return new HostSnapshot(takenAt, HostInfo.UNKNOWN, version == 2 ? CgroupMode.UNIFIED : CgroupMode.LEGACY, caps,
        List.of(h), h.dying(), cgroups, new ScanDiagnostics(Duration.ZERO, cgroups.size(), vanished, List.of()));
  }
}
