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
 * The "what to do" section: the exact commands for this kernel and mode, and what each costs. Only advice; cgwatch
 * runs none of it except {@code cgwatch reclaim --execute} when asked.
 */
final class WhatToDo {
  private WhatToDo() {}

  static List<String> steps(Analysis a) {
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
    boolean reclaim = s.capabilities().memoryReclaim()
        || s.capabilities().kernel().map(k -> k.atLeast(5, 19)).orElse(false);
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

  /** Quotes a cgroup path for a shell command line, so odd names stay one argument. */
  static String shellQuote(String path) {
    String escaped = TerminalSafe.escape(path);
    return escaped.matches("[A-Za-z0-9_./@:+-]+") ? escaped : "'" + escaped.replace("'", "'\\''") + "'";
  }
}
