package io.cgwatch.agent.alert;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What to do about dying cgroups on this host, aware of its kernel and mode. */
final class Remedies {
  private Remedies() {}

  static String forPageCacheAt(Analysis a, String hierarchy, String parent) {
    HostSnapshot s = a.snapshot();
    List<String> steps = new ArrayList<>();
    boolean v1 = s.hierarchies().stream().anyMatch(h -> h.name().equals(hierarchy) && h.version() == 1);
    String mount = s.hierarchies().stream().filter(h -> h.name().equals(hierarchy)).map(HierarchySnapshot::mountPoint)
        .findFirst().orElse("/sys/fs/cgroup");
    String dir = "/".equals(parent) ? mount : mount + parent;
    boolean reclaim = s.capabilities().memoryReclaim()
        || s.capabilities().kernel().map(k -> k.atLeast(5, 19)).orElse(false); // write-only: captures lack it
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

  static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }

  static String count(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
