package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.MountInfo;
import io.cgwatch.model.ScanError;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * What the reader reads, named once, for whoever must copy exactly that ({@code cgwatch capture}) or reason about
 * it: the host files, the mountinfo and the cgroup mounts chosen from it, the control files of each cgroup, and
 * the size cap, and the walk of each mount ({@link #walk}: the reader's own {@link TreeWalker}). {@code ReadPlanTest} scans every fixture host through a recording file access and checks that
 * the reader reads nothing this plan does not name.
 */
public final class ReadPlan {
  private ReadPlan() {}

  /** No kernel control file comes near it; a larger file is refused, not read (a {@code file_bytes} limit). */
  public static final int MAX_FILE_BYTES = NioControlFiles.MAX_FILE_BYTES;

  /** Under the proc root: the mount table every cgroup mount is found in. */
  public static final String MOUNTINFO = "self/mountinfo";

  /** Under the proc root: dying v1 counts, kernel release, memory size, kernel command line. */
  public static final List<String> PROC_FILES = List.of("cgroups", "sys/kernel/osrelease", "meminfo", "cmdline");

  /** Under the host root: the online CPUs (the kernel memory of a dying memcg is per CPU). */
  public static final List<String> HOST_FILES = List.of("sys/devices/system/cpu/online");

  /**
   * Under the host root: the kubelet's pod log directories, listed (never opened) for their names,
   * {@code <namespace>_<name>_<uid>}, which give a pod UID in a cgroup path its namespace and name (owners).
   */
  public static final String POD_LOG_DIRS = "var/log/pods";

  /**
   * The fast tier of v2, read in every scan: what the dying, orphan and lifecycle views and every alert need
   * (dying counts, populated, which controllers charge children, current usage and the memory.stat breakdown).
   */
  public static final Set<String> V2_FAST_FILES = Set.of(
      "cgroup.stat", "cgroup.events", "cgroup.controllers", "cgroup.subtree_control",
      "memory.current", "memory.stat");

  /**
   * The slow tier of v2: limits, peaks, event counters, PSI and pids, exported per cgroup but used by no analysis
   * or alert. {@code serve} reads them every Nth scan ({@code --slow-tier-every}) and carries the last values
   * forward between ({@link SlowTierCarry}); one-shot commands read them every time.
   */
  public static final Set<String> V2_SLOW_FILES = Set.of(
      "memory.min", "memory.low", "memory.high", "memory.max", "memory.peak",
      "memory.swap.current", "memory.swap.max", "memory.swap.events", "memory.events", "memory.events.local",
      "memory.pressure", "cpu.pressure", "io.pressure", "pids.current", "pids.max", "pids.events");

  /** Read in every cgroup v2 directory that has them ({@link V2CgroupReader}): both tiers. */
  public static final Set<String> V2_CONTROL_FILES = union(V2_FAST_FILES, V2_SLOW_FILES);

  /**
   * The slow tier of the v1 memory hierarchy: the limit and the depth files but kernel memory (usage, memory.stat
   * and memory.kmem.usage_in_bytes, which says why a parent's dying children stay, are read every scan).
   */
  public static final Set<String> V1_MEMORY_SLOW_FILES = Set.of("memory.limit_in_bytes", "memory.failcnt",
      "memory.max_usage_in_bytes", "memory.kmem.max_usage_in_bytes", "memory.oom_control");

  /** Read in every directory of the v1 memory hierarchy ({@link V1MemoryCgroupReader}); other v1 ones are walked. */
  public static final Set<String> V1_MEMORY_CONTROL_FILES = Set.of(
      "memory.usage_in_bytes", "memory.limit_in_bytes", "memory.stat", "memory.failcnt",
      "memory.max_usage_in_bytes", "memory.kmem.usage_in_bytes", "memory.kmem.max_usage_in_bytes",
      "memory.oom_control");

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /** v1 leaves: only whether it is empty is read (populated); never the PIDs themselves. */
  public static final String PROCS = "cgroup.procs";

  /**
   * Write-only files whose presence in a hierarchy root's listing tells a capability ({@code memory.reclaim}):
   * never opened.
   */
  public static final Set<String> PRESENCE_AT_ROOT = Set.of("memory.reclaim");

  /** Every control file name the reader opens, v1 and v2. */
  public static Set<String> controlFiles() {
    Set<String> all = new TreeSet<>(V2_CONTROL_FILES);
    all.addAll(V1_MEMORY_CONTROL_FILES);
    return all;
  }

  /** One chosen cgroup mount: its mountinfo line and the hierarchy's version. */
  public record Mount(int version, String name, MountInfo mount) {}

  /**
   * The cgroup mounts the reader walks, in mountinfo order: one per hierarchy (a hierarchy mounted twice, by a
   * bind mount or a container's view, is read once, from its full view, then the shortest mount point).
   */
  public static List<Mount> mounts(List<MountInfo> mountinfo) {
    return CgroupMounts.find(mountinfo).stream().map(m -> new Mount(m.version(), m.name(), m.mount())).toList();
  }

  /**
   * One hierarchy as the reader walks it.
   *
   * @param dirs the directories in pre-order, root first, children in name order (what the scan reads)
   * @param vanished directories removed during the walk, skipped with their subtree
   * @param errors what the walk could not do: an unreadable mount point or directory, a bound reached
   *     ({@code limit_cgroups}, {@code limit_depth}), with the host path
   * @param outOfTime the walk stopped early because {@code inTime} said false
   */
  public record Walk(List<CgroupDir> dirs, long vanished, List<ScanError> errors, boolean outOfTime) {
    public Walk {
      dirs = List.copyOf(dirs);
      errors = List.copyOf(errors);
    }
  }

  /**
   * Walks one mounted hierarchy exactly as {@link CgroupScanner} does ({@link TreeWalker} through {@code files},
   * under the bounds of {@code options}: symlinks are not followed, a vanished directory is counted, not fatal),
   * listing directories only. {@code mountFsPath} must come from {@link HostRoots#resolveMountPoint}, which keeps
   * a mount point inside the root; {@code inTime} is asked before each directory.
   */
  public static Walk walk(ControlFiles files, Path mountFsPath, String mountHostPath, ScanOptions options,
      BooleanSupplier inTime) {
    ScanContext ctx = new ScanContext(files, options);
    List<CgroupDir> dirs = TreeWalker.walk(mountFsPath, mountHostPath, ctx, inTime);
    return new Walk(dirs, ctx.vanishedCount(), ctx.errors(), ctx.outOfTime());
  }
}
