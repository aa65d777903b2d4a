package io.cgwatch.exporters.text;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.OrphanedMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one catalogue of what to do about dying cgroups, aware of the host's kernel and mode: the text report's
 * "what to do" section ({@link #forReport}, with the cost of each step) and the alerts' descriptions
 * ({@link #forAlert}, one sentence) are both made here, from the same facts. Only advice: cgwatch runs none of
 * it except {@code cgwatch reclaim --execute} when asked.
 */
public final class Remedies {
  private Remedies() {}

  /** memory.reclaim (v2, 5.19+): seen at a root, or implied by the kernel (write-only: captures lack the file). */
  static boolean reclaimAvailable(HostSnapshot s) {
    return s.capabilities().memoryReclaim() || s.capabilities().kernel().map(k -> k.atLeast(5, 19)).orElse(false);
  }

  /**
   * The report's "what to do" section: the exact commands for this kernel and mode, and what each costs.
   * Empty when nothing is dying, left behind or leaked.
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
    boolean reclaim = reclaimAvailable(s);
    if (worst.isPresent() && !v1 && reclaim) {
      OrphanedMemory o = worst.get();
      String mount = memory.map(HierarchySnapshot::mountPoint).orElse("/sys/fs/cgroup");
      long bytes = o.bytes().fileBytes().getAsLong();
      steps.add("reclaim what removed cgroups left under " + TerminalSafe.escape(o.path()) + ": cgwatch reclaim --cgroup "
          + shellQuote(o.path()) + " --execute   (or: timeout 60 sh -c 'echo " + bytes + " > "
          + TerminalSafe.escape(mount + o.path()) + "/memory.reclaim'). Cost: up to "
          + HumanUnits.bytes(bytes) + " of page cache is dropped from that subtree, live children included, and "
          + "re-read from disk if used again; the write blocks while the kernel reclaims. If cgroups stay dying, "
          + "run sync and reclaim again (a dirty inode can pin them).");
    }
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
      steps.add("last resort, host-wide: sync; echo 1 > /proc/sys/vm/drop_caches. Cost: every cgroup's clean page "
          + "cache is dropped and re-read from disk, a latency hit for the whole host.");
    }
    if (!a.visibleLeaks().isEmpty()) {
      steps.add("remove the visible leaks listed above with rmdir (they are empty), and fix what creates them. Cost: "
          + "none.");
    }
    return steps;
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

  /** Quotes a cgroup path for a shell command line, so odd names stay one argument. */
  static String shellQuote(String path) {
    String escaped = TerminalSafe.escape(path);
    return escaped.matches("[A-Za-z0-9_./@:+-]+") ? escaped : "'" + escaped.replace("'", "'\\''") + "'";
  }
}
