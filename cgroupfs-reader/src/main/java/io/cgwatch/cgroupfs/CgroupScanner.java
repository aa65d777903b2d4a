package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.MountInfo;
import io.cgwatch.cgroupfs.parse.MountinfoParser;
import io.cgwatch.cgroupfs.parse.ProcCgroupsParser;
import io.cgwatch.cgroupfs.parse.ProcCgroupsRow;
import io.cgwatch.model.Capabilities;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.DyingCount;
import io.cgwatch.model.DyingMethod;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanDiagnostics;
import io.cgwatch.model.ScanError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a host's cgroup hierarchies into one immutable {@link HostSnapshot}. Stateless: roots, options and the
 * clock are passed in; nothing is kept between scans. Read-only.
 *
 * <p>Order matters for consistency: every hierarchy is walked first (directory listings only), then
 * {@code /proc/cgroups} is read, so the v1 dying estimate ({@code num_cgroups - directories}) compares two
 * readings taken as close together as possible; then control files are read, children before parents, so a
 * parent's hierarchical counters are read after its children's.
 */
public final class CgroupScanner {
  private final ControlFiles files;

  public CgroupScanner() {
    this(new NioControlFiles());
  }

  /** With another file access, for tests that remove cgroups mid-scan. */
  public CgroupScanner(ControlFiles files) {
    this.files = files;
  }

  public HostSnapshot scan(HostRoots roots, ScanOptions options, Clock clock) {
    Instant start = clock.instant();
    ScanContext ctx = new ScanContext(files, options);
    HostInfo host = HostInfoReader.read(roots, ctx);

    List<CgroupMount> mounts = new ArrayList<>();
    List<List<CgroupDir>> walks = new ArrayList<>();
    for (CgroupMount m : CgroupMounts.find(readMountinfo(roots, ctx))) {
      java.nio.file.Path at;
      try {
        at = roots.resolveMountPoint(m.mount().mountPoint());
      } catch (HostRoots.OutsideRootException e) { // a hostile mountinfo: that hierarchy is not read at all
        ctx.error(m.mount().mountPoint(), "", ScanError.Kind.OUTSIDE_ROOT, e.getMessage());
        continue;
      }
      mounts.add(m);
      walks.add(TreeWalker.walk(at, m.mount().mountPoint(), ctx));
    }
    List<ProcCgroupsRow> procCgroups = ctx.readHostFile(roots.procRoot().resolve("cgroups"), "/proc", "cgroups",
        ProcCgroupsParser::parse).orElse(List.of());

    List<CgroupSnapshot> cgroups = new ArrayList<>();
    List<HierarchySnapshot> hierarchies = new ArrayList<>();
    for (int i = 0; i < mounts.size(); i++) {
      CgroupMount m = mounts.get(i);
      List<CgroupDir> dirs = walks.get(i);
      List<CgroupSnapshot> read = readCgroups(m, dirs, options, ctx);
      cgroups.addAll(read);
      hierarchies.add(m.version() == 2 ? v2Hierarchy(m, dirs, read)
          : v1Hierarchy(m, dirs, procCgroups, vanishedWhileRead(m, dirs, read, options)));
    }
    DyingCount dyingMemory = dyingMemory(hierarchies, cgroups);
    String cmdline = ctx.readHostFile(roots.procRoot().resolve("cmdline"), "/proc", "cmdline", c -> c).orElse("");
    Capabilities capabilities = CapabilityProbe.probe(host, cmdline, mounts, walks, cgroups, files);
    List<io.cgwatch.model.PodLogDir> pods = PodLogDirectories.read(roots, ctx);
    ScanDiagnostics diagnostics = new ScanDiagnostics(Duration.between(start, clock.instant()), cgroups.size(),
        ctx.vanishedCount(), ctx.errors());
    return new HostSnapshot(start, host, CgroupMounts.mode(mounts), capabilities, hierarchies, dyingMemory, cgroups,
        diagnostics, pods);
  }

  private static List<MountInfo> readMountinfo(HostRoots roots, ScanContext ctx) {
    Optional<List<MountInfo>> mounts = ctx.readHostFile(roots.procRoot().resolve("self/mountinfo"), "/proc/self",
        "mountinfo", MountinfoParser::parse);
    if (mounts.isEmpty() && ctx.errors().stream().noneMatch(e -> e.file().equals("mountinfo"))) {
      ctx.error("/proc/self", "mountinfo", ScanError.Kind.IO_ERROR,
          "missing: without it no cgroup mount can be found (is --host-root or --proc-root right?)");
    }
    return mounts.orElse(List.of());
  }

  /**
   * v2 cgroups and the v1 memory hierarchy are read into snapshots; other v1 hierarchies are only walked and
   * counted (their files say nothing about memory or dying cgroups).
   */
  private static List<CgroupSnapshot> readCgroups(CgroupMount m, List<CgroupDir> dirs, ScanOptions options,
      ScanContext ctx) {
    boolean v1Memory = m.version() == 1 && m.controllers().contains("memory");
    if (m.version() == 1 && !v1Memory) {
      return List.of();
    }
    List<CgroupSnapshot> out = new ArrayList<>();
    for (int i = dirs.size() - 1; i >= 0; i--) { // reverse pre-order: children before parents
      CgroupDir dir = dirs.get(i);
      if (dir.depth() > options.maxDepth()) {
        continue;
      }
      try {
        out.add(v1Memory ? V1MemoryCgroupReader.read(m.name(), dir, ctx) : V2CgroupReader.read(m.name(), dir, ctx));
      } catch (CgroupVanishedException e) {
        ctx.vanished();
      }
    }
    return out;
  }

  private static HierarchySnapshot v2Hierarchy(CgroupMount m, List<CgroupDir> dirs, List<CgroupSnapshot> read) {
    Optional<CgroupSnapshot> root = read.stream().filter(c -> c.depth() == 0).findFirst();
    List<String> controllers = root.flatMap(CgroupSnapshot::controllers).orElse(List.of());
    DyingCount dying;
    if (!m.fullView()) {
      dying = partialView(m);
    } else if (root.isPresent() && root.get().nrDyingDescendants().isPresent()) {
      dying = DyingCount.of(root.get().nrDyingDescendants().getAsLong(), DyingMethod.NR_DYING_DESCENDANTS);
    } else {
      dying = DyingCount.unknown("the root's cgroup.stat could not be read");
    }
    return new HierarchySnapshot(m.name(), 2, m.mount().mountPoint(), m.mount().root(), controllers, dirs.size(),
        dying);
  }

  /** Directories of the v1 memory hierarchy that were walked but gone when their files were read. */
  private static long vanishedWhileRead(CgroupMount m, List<CgroupDir> dirs, List<CgroupSnapshot> read,
      ScanOptions options) {
    if (!m.controllers().contains("memory")) {
      return 0; // not read, so nothing vanished while read
    }
    return Math.max(0, dirs.stream().filter(d -> d.depth() <= options.maxDepth()).count() - read.size());
  }

  private static HierarchySnapshot v1Hierarchy(CgroupMount m, List<CgroupDir> dirs, List<ProcCgroupsRow> rows,
      long vanishedWhileRead) {
    Optional<ProcCgroupsRow> row = rows.stream().filter(r -> m.controllers().contains(r.subsystem())).findFirst();
    DyingCount dying;
    if (!m.fullView()) {
      dying = partialView(m);
    } else if (m.controllers().isEmpty()) {
      dying = DyingCount.unknown("a named hierarchy has no /proc/cgroups row");
    } else if (row.isEmpty()) {
      dying = DyingCount.unknown("/proc/cgroups has no row for " + m.name());
    } else if (dirs.isEmpty()) {
      dying = DyingCount.unknown("the mount point could not be read");
    } else {
      // num_cgroups counts the root and the dying; the walk counts the root and the live. A directory that was
      // walked but had vanished by the time its files were read was removed during the scan: it is dying (or
      // freed, and then num_cgroups no longer has it either), not live, so it is not subtracted as live.
      dying = DyingCount.of(Math.max(0, row.get().numCgroups() - (dirs.size() - vanishedWhileRead)),
          DyingMethod.PROC_CGROUPS);
    }
    return new HierarchySnapshot(m.name(), 1, m.mount().mountPoint(), m.mount().root(), m.controllers(),
        dirs.size(), dying);
  }

  private static DyingCount partialView(CgroupMount m) {
    return DyingCount.unknown("partial view: the mount shows only " + m.mount().root()
        + " of the hierarchy; host-wide dying counts need the full hierarchy (--host-root)");
  }

  /** The best source of dying memory cgroups: v2 nr_dying_subsys_memory, v2 nr_dying_descendants, v1 estimate. */
  private static DyingCount dyingMemory(List<HierarchySnapshot> hierarchies, List<CgroupSnapshot> cgroups) {
    Optional<HierarchySnapshot> memory = HostSnapshot.memoryHierarchy(hierarchies);
    if (memory.isEmpty()) {
      return DyingCount.unknown("no mounted hierarchy has the memory controller");
    }
    HierarchySnapshot h = memory.get();
    if (h.version() == 1 || !h.fullView()) {
      return h.dying();
    }
    Optional<CgroupSnapshot> root = cgroups.stream()
        .filter(c -> c.hierarchy().equals(h.name()) && c.depth() == 0).findFirst();
    if (root.isPresent() && root.get().nrDyingSubsys("memory").isPresent()) {
      return DyingCount.of(root.get().nrDyingSubsys("memory").getAsLong(), DyingMethod.NR_DYING_SUBSYS_MEMORY);
    }
    return h.dying();
  }
}
