package io.cgwatch.cgroupfs;

import io.cgwatch.model.Capabilities;
import io.cgwatch.model.Capabilities.Decision;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.KernelVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decides what the host can tell from the files the scan saw (listings, their mode bits, the root's cgroup.stat,
 * memory.oom_control), the kernel version only as the last hint, and says why for each: vendor kernels backport features and
 * captures may lack write-only files, so a version string alone misjudges both.
 */
final class CapabilityProbe {
  private CapabilityProbe() {}

  static Capabilities probe(HostInfo host, String cmdline, List<CgroupMount> mounts, List<List<CgroupDir>> walks,
      List<CgroupSnapshot> cgroups, ControlFiles files) {
    Optional<KernelVersion> kernel = host.kernelRelease().flatMap(KernelVersion::parse);
    List<Decision> why = new ArrayList<>();
    Listings l = Listings.of(mounts, walks);

    boolean nrDyingSubsys = cgroups.stream().anyMatch(c -> c.depth() == 0 && c.nrDyingSubsys().isPresent());
    boolean v2RootStat = cgroups.stream().anyMatch(c -> c.version() == 2 && c.depth() == 0
        && c.nrDyingDescendants().isPresent());
    why.add(new Decision("nr_dying_subsys", yesNo(nrDyingSubsys), v2RootStat ? Decision.FILES : Decision.NONE,
        nrDyingSubsys ? "the root cgroup.stat prints nr_dying_subsys_* lines"
            : v2RootStat ? "the root cgroup.stat has no nr_dying_subsys_* line" : "no v2 root cgroup.stat was read"));
    why.add(listed("PSI", l.psi, "*.pressure files"));
    why.add(listed("memory.peak", l.peak, "memory.peak"));
    Decision reclaim = reclaim(l, kernel, files);
    why.add(reclaim);
    why.add(listed("memory.events.local", l.eventsLocal, "memory.events.local"));
    boolean fullView = mounts.stream().allMatch(CgroupMount::fullView);
    why.add(new Decision("full view", yesNo(fullView), Decision.FILES, fullView
        ? "every cgroup mount's root in mountinfo is /"
        : "a cgroup mount's root in mountinfo is below / (a container's view)"));
    Decision reparents = reparentsPageCache(kernel);
    why.add(reparents);
    Decision keepIds = dyingKeepMemcgIds(l, cgroups, kernel);
    why.add(keepIds);
    return new Capabilities(kernel, nrDyingSubsys, l.psi, l.peak, "yes".equals(reclaim.value()), l.eventsLocal,
        cgroupParameters(cmdline), optional(reparents), optional(keepIds), fullView, why);
  }

  /** What the v2 listings hold: whether a file is in any directory, and whether any write-only file was kept. */
  private static final class Listings {
    boolean v2Memory;
    boolean psi;
    boolean peak;
    boolean eventsLocal;
    boolean writeOnlyListed; // cgroup.kill (5.14+) in a non-root v2 directory: the listing keeps write-only files
    boolean anyV2Child;
    Optional<Path> reclaimAtRoot = Optional.empty();
    String v2Mount = "";

    static Listings of(List<CgroupMount> mounts, List<List<CgroupDir>> walks) {
      Listings l = new Listings();
      for (int i = 0; i < mounts.size(); i++) {
        if (mounts.get(i).version() != 2) {
          continue;
        }
        for (CgroupDir d : walks.get(i)) {
          l.psi |= d.files().contains("memory.pressure") || d.files().contains("cpu.pressure");
          l.peak |= d.files().contains("memory.peak");
          l.eventsLocal |= d.files().contains("memory.events.local");
          l.v2Memory |= d.files().contains("memory.stat") || d.files().contains("memory.current");
          if (d.depth() == 0 && d.files().contains("memory.reclaim")) {
            l.reclaimAtRoot = Optional.of(d.fsPath().resolve("memory.reclaim"));
            l.v2Mount = d.hostPath();
          }
          if (d.depth() > 0) {
            l.anyV2Child = true;
            l.writeOnlyListed |= d.files().contains("cgroup.kill");
          }
        }
      }
      return l;
    }
  }

  private static Decision listed(String name, boolean seen, String what) {
    return new Decision(name, yesNo(seen), Decision.FILES, seen ? what + " listed in a v2 cgroup"
        : "no v2 listing has " + what);
  }

  /**
   * memory.reclaim (5.19+): listed at a v2 root and writable by its mode bits. Not listed: a listing that keeps
   * write-only files ({@code cgroup.kill}, 5.14+, in a child) proves the kernel lacks it; a listing without any (an
   * old capture that skipped write-only files) cannot tell, and only then the kernel version decides.
   */
  static Decision reclaim(Listings l, Optional<KernelVersion> kernel, ControlFiles files) {
    String name = "memory.reclaim";
    if (l.reclaimAtRoot.isPresent()) {
      Optional<Boolean> writable = files.ownerWritable(l.reclaimAtRoot.get());
      if (writable.isPresent() && !writable.get()) {
        return new Decision(name, "no", Decision.FILES, "listed at the root of " + l.v2Mount
            + " but not writable by its mode bits");
      }
      return new Decision(name, "yes", Decision.FILES, "listed at the root of " + l.v2Mount
          + (writable.isPresent() ? " and writable by its mode bits" : ""));
    }
    if (!l.v2Memory) {
      return new Decision(name, "no", Decision.FILES, "no v2 hierarchy has the memory controller");
    }
    if (l.writeOnlyListed) {
      return new Decision(name, "no", Decision.FILES,
          "not at the v2 root, while the listing keeps write-only files (cgroup.kill): the kernel lacks it");
    }
    if (kernel.isPresent()) {
      boolean likely = kernel.get().atLeast(5, 19);
      return new Decision(name, yesNo(likely), Decision.KERNEL_VERSION, "this listing has no write-only file"
          + (l.anyV2Child ? " (a capture that skipped them, or a kernel before 5.14)" : "")
          + ", so kernel " + kernel.get() + (likely ? " (5.19+)" : " (before 5.19)") + " is the last hint");
    }
    return new Decision(name, "no", Decision.NONE, "not listed and the kernel version is unknown");
  }

  /**
   * 7.1 moves a removed memcg's page cache to its parent. No file announces it (kernel-facts §3.3: only memcontrol's
   * internals changed), and the counters cannot prove it either: page cache a parent holds that no live child
   * accounts for may be its own, charged before it delegated memory (charges do not move with a process). So the
   * kernel version is the last hint here, and the report says so.
   */
  static Decision reparentsPageCache(Optional<KernelVersion> kernel) {
    String name = "page cache reparented at removal";
    return kernel.map(k -> new Decision(name, yesNo(k.atLeast(7, 1)), Decision.KERNEL_VERSION,
            "no file shows it and a parent's counters cannot prove it, so kernel " + k + " is the last hint (7.1+)"))
        .orElse(new Decision(name, "unknown", Decision.NONE, "no file shows it and the kernel version is unknown"));
  }

  /**
   * Before 4.8 a dying memcg kept its ID. Files newer than that fix prove a kernel after it: a v2 cgroup.stat
   * (4.14+) or {@code oom_kill} in v1 memory.oom_control (4.13+). Otherwise the version is the last hint.
   */
  static Decision dyingKeepMemcgIds(Listings l, List<CgroupSnapshot> cgroups, Optional<KernelVersion> kernel) {
    String name = "dying memcgs keep IDs";
    if (cgroups.stream().anyMatch(c -> c.version() == 2 && c.depth() == 0 && c.nrDyingDescendants().isPresent())) {
      return new Decision(name, "no", Decision.FILES, "the v2 root has cgroup.stat (4.14+): IDs are freed at offline "
          + "since 4.8");
    }
    if (cgroups.stream().anyMatch(c -> c.memory().map(m -> m.depth().oomKills().isPresent()).orElse(false))) {
      return new Decision(name, "no", Decision.FILES, "memory.oom_control has oom_kill (4.13+): IDs are freed at "
          + "offline since 4.8");
    }
    return kernel.map(k -> new Decision(name, yesNo(!k.atLeast(4, 8)), Decision.KERNEL_VERSION,
            "no file dates the kernel, so kernel " + k + " is the last hint (fixed in 4.8)"))
        .orElse(new Decision(name, "unknown", Decision.NONE, "no file dates the kernel and its version is unknown"));
  }

  private static Optional<Boolean> optional(Decision d) {
    return "unknown".equals(d.value()) ? Optional.empty() : Optional.of("yes".equals(d.value()));
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  /** Words of /proc/cmdline that change how cgroups behave (nokmem, v1/v2 switches, PSI). */
  static List<String> cgroupParameters(String cmdline) {
    return Arrays.stream(cmdline.strip().split("\\s+"))
        .filter(w -> w.startsWith("cgroup") || w.startsWith("systemd.unified_cgroup_hierarchy")
            || w.startsWith("systemd.legacy_systemd_cgroup_controller") || w.startsWith("psi="))
        .toList();
  }
}
