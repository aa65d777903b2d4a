package io.cgwatch.exporters.text;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.StillDying.Cause;
import io.cgwatch.model.StillDying.ParentCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one catalogue of what to do about dying cgroups, aware of the host's kernel and mode and of what pins them
 * ({@link io.cgwatch.model.StillDying}): the text report's "what to do" section ({@link #forReport}, with the
 * cost of each step), the advice per cause ({@link #forCause}, also in the JSON report) and the alerts'
 * descriptions ({@link #forAlert}, one sentence) are all made here, from the same facts. Only advice: cgwatch runs none of
 * it except {@code cgwatch reclaim --execute} when asked.
 */
public final class Remedies {
  private Remedies() {}

  /** memory.reclaim as the capability probe decided it; the advice never says otherwise than the report's line. */
  static boolean reclaimAvailable(HostSnapshot s) {
    return s.capabilities().memoryReclaim();
  }

  /** The parents to give cause-driven steps for: most dying first, then most page cache. */
  static final int CAUSE_STEPS = 5;

  /**
   * The report's "what to do" section: first what each parent's dying cgroups are pinned by and what releases it
   * ({@link #forCause}), then the general steps for this kernel and mode, each with its cost. Empty when nothing
   * is dying, left behind or leaked.
   */
  public static List<String> forReport(Analysis a) {
    HostSnapshot s = a.snapshot();
    long dying = s.dyingMemoryCgroups().count().orElse(0);
    Optional<OrphanedMemory> worst = a.orphaned().stream().filter(o -> o.bytes().fileBytes().orElse(0) > 0)
        .max(Comparator.comparingLong(o -> o.bytes().fileBytes().getAsLong()));
    List<String> steps = new ArrayList<>();
    if (dying == 0 && worst.isEmpty() && a.visibleLeaks().isEmpty()) {
      return steps;
    }
    Optional<HierarchySnapshot> memory = s.memoryHierarchy();
    boolean v1 = memory.map(h -> h.version() == 1).orElse(false);
    List<ParentCause> causes = a.stillDying().parents().stream()
        .sorted(Comparator.comparingLong((ParentCause c) -> c.dying().orElse(0)).reversed()
            .thenComparing(Comparator.comparingLong((ParentCause c) -> c.fileBytes().orElse(0)).reversed()))
        .limit(CAUSE_STEPS).toList();
    for (ParentCause c : causes) {
      steps.add("under " + TerminalSafe.escape(c.path()) + c.dying().stream().mapToObj(n -> " (" + n + " dying)")
          .findFirst().orElse("") + ": " + forCause(a, c));
    }
    if (causes.isEmpty() && worst.isPresent() && !v1 && reclaimAvailable(s)) {
      // Nothing is dying (7.1+ reparents page cache), but what removed cgroups left still sits at a parent.
      OrphanedMemory o = worst.get();
      long bytes = o.bytes().fileBytes().getAsLong();
      steps.add("reclaim what removed cgroups left under " + TerminalSafe.escape(o.path()) + ": cgwatch reclaim "
          + "--cgroup " + shellQuote(o.path()) + " --execute. Cost: up to " + HumanUnits.bytes(bytes) + " of page "
          + "cache is dropped from that subtree, live children included, and re-read from disk if used again.");
    }
    boolean pageCacheCause = causes.stream().anyMatch(c -> c.cause() == Cause.PAGE_CACHE
        || c.cause() == Cause.DIRTY_PAGE_CACHE);
    if (v1) {
      steps.add("on cgroup v1, empty a cgroup before removing it: echo 0 > <cgroup>/memory.force_empty, then rmdir. "
          + "Cost: that cgroup's page cache is dropped; it cannot be done after rmdir.");
    }
    if (dying > 0) {
      steps.add("reuse cgroups instead of removing and recreating them (systemd timers: DefaultPersistTimerCgroups; "
          + "job runners: a pool of long-lived cgroups). Cost: none at runtime.");
      if (!s.capabilities().reparentsPageCache().orElse(false)) {
        steps.add("kernels 7.1 and later move a removed cgroup's page cache to its parent, so it no longer keeps the "
            + "cgroup dying. Cost: a kernel upgrade.");
      }
      if (!pageCacheCause || reclaimAvailable(s) && !v1) {
        steps.add("last resort, host-wide: sync; echo 1 > /proc/sys/vm/drop_caches. Cost: every cgroup's clean page "
            + "cache is dropped and re-read from disk, a latency hit for the whole host.");
      }
    }
    if (!a.visibleLeaks().isEmpty()) {
      steps.add("remove the visible leaks listed above with rmdir (they are empty), and fix what creates them. Cost: "
          + "none.");
    }
    return steps;
  }

  /**
   * What holds one parent's dying cgroups and what releases it, with its cost, for this kernel and mode: dirty pages
   * need {@code sync} before anything; clean page cache goes with {@code memory.reclaim} on the parent (v2 where the
   * probe found it) or {@code drop_caches}; mapped and tmpfs pages with their mappers and files; kernel memory (before
   * 5.15) with {@code drop_caches=2} and the exit of threads that moved away; nothing left: it should free soon.
   */
  public static String forCause(Analysis a, ParentCause c) {
    HostSnapshot s = a.snapshot();
    boolean v2Reclaim = reclaimAvailable(s) && s.hierarchies().stream()
        .anyMatch(h -> h.name().equals(c.hierarchy()) && h.version() == 2);
    String mount = s.hierarchies().stream().filter(h -> h.name().equals(c.hierarchy()))
        .map(HierarchySnapshot::mountPoint).findFirst().orElse("/sys/fs/cgroup");
    long file = c.fileBytes().orElse(0);
    String reclaim = v2Reclaim
        ? "cgwatch reclaim --cgroup " + shellQuote(c.path()) + " --execute (it writes memory.reclaim of "
            + TerminalSafe.escape(("/".equals(c.path()) ? mount : mount + c.path())) + " under a timeout). Cost: up to " + HumanUnits.bytes(file) + " of page cache is dropped from that subtree, live children "
            + "included, and re-read from disk if used again; the write blocks while the kernel reclaims"
        : "echo 1 > /proc/sys/vm/drop_caches" + (v1(s, c.hierarchy()) ? " (cgroup v1 has no memory.reclaim)"
            : s.capabilities().memoryReclaim() ? "" : " (the probe found no memory.reclaim)")
            + ". Cost: every cgroup's clean page cache is dropped and re-read from disk, a latency hit for the "
            + "whole host";
    return switch (c.cause()) {
      case DIRTY_PAGE_CACHE -> "dirty page cache pins them (" + HumanUnits.bytes(c.dirtyBytes().orElse(0))
          + " dirty, " + HumanUnits.bytes(c.writebackBytes().orElse(0)) + " under writeback): reclaim cannot drop it "
          + "until it is written, so run sync first, then " + reclaim
          + ".";
      case PAGE_CACHE -> HumanUnits.bytes(file) + " of clean page cache pins them: " + reclaim + ".";
      case MAPPED_OR_SHMEM -> HumanUnits.bytes(c.mappedOrShmemBytes().orElse(0)) + " of page cache mapped by live "
          + "processes or in tmpfs/shm pins them: neither memory.reclaim nor drop_caches frees it. It goes when the "
          + "processes that map those files exit or restart, or when the tmpfs files are deleted. Cost: a restart.";
      case KERNEL_MEMORY -> HumanUnits.bytes(c.kernelBytes().orElse(0)) + " of kernel memory is left and this kernel "
          + "(before 5.15) does not move it to the parent at removal: sync; echo 2 > /proc/sys/vm/drop_caches frees "
          + "reclaimable slab (dentries, inodes); kernel stacks go when the threads that moved out exit; drop_caches=1 "
          + "alone does not help. Cost: the host's dentry and inode caches are rebuilt.";
      case NOTHING_CHARGED -> "nothing measurable is left, so the kernel should free them soon. If they stay dying "
          + "for minutes, run sync (an inode they dirtied keeps them until its writeback is done) and look for "
          + "swapped-out tmpfs or shm pages (they pin them until read back or swapoff). Cost: none.";
      case UNKNOWN -> "the figures that would tell are missing here (the v2 root's memory.stat is host-wide, or a "
          + "child was not read); see the steps below.";
    };
  }

  /** One sentence for an alert about page cache left under {@code parent} of {@code hierarchy}. */
  public static String forAlert(Analysis a, String hierarchy, String parent) {
    HostSnapshot s = a.snapshot();
    List<String> steps = new ArrayList<>();
    boolean v1 = s.hierarchies().stream().anyMatch(h -> h.name().equals(hierarchy) && h.version() == 1);
    String mount = s.hierarchies().stream().filter(h -> h.name().equals(hierarchy)).map(HierarchySnapshot::mountPoint)
        .findFirst().orElse("/sys/fs/cgroup");
    String dir = "/".equals(parent) ? mount : mount + parent;
    boolean reclaim = reclaimAvailable(s);
    Optional<ParentCause> cause = a.stillDying().parents().stream()
        .filter(c -> c.hierarchy().equals(hierarchy) && c.path().equals(parent)).findFirst();
    if (cause.map(c -> c.cause() == Cause.DIRTY_PAGE_CACHE).orElse(false)) {
      steps.add("run sync first: dirty page cache under the parent cannot be reclaimed until it is written");
    }
    if (!v1 && reclaim) {
      steps.add("reclaim the page cache left under the parent: timeout 60 sh -c 'echo 1G > " + dir
          + "/memory.reclaim' (v2, 5.19+; it blocks while reclaiming and returns EAGAIN when it got less)");
    } else if (v1) {
      steps.add("before removing a v1 memory cgroup, empty it: echo 0 > <cgroup>/memory.force_empty");
    }
    steps.add("reuse cgroups instead of removing and recreating them (for systemd timers: DefaultPersistTimerCgroups)");
    if (!s.capabilities().reparentsPageCache().orElse(false)) {
      steps.add("kernels 7.1 and later move a removed cgroup's page cache to its parent, so it stops pinning it");
    }
    steps.add("last resort, global: sync; echo 1 > /proc/sys/vm/drop_caches (drops every cgroup's clean page cache)");
    return "What to do: " + String.join("; ", steps) + ".";
  }

  private static boolean v1(HostSnapshot s, String hierarchy) {
    return s.hierarchies().stream().anyMatch(h -> h.name().equals(hierarchy) && h.version() == 1);
  }

  /** Quotes a cgroup path for a shell command line, so odd names stay one argument. */
  static String shellQuote(String path) {
    String escaped = TerminalSafe.escape(path);
    return escaped.matches("[A-Za-z0-9_./@:+-]+") ? escaped : "'" + escaped.replace("'", "'\\''") + "'";
  }
}
