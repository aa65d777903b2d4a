package io.cgwatch.cgroupfs;

import io.cgwatch.model.Capabilities;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.KernelVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Decides what the host can tell from what the scan already saw (file listings) and the kernel command line. */
final class CapabilityProbe {
  private CapabilityProbe() {}

  static Capabilities probe(HostInfo host, String cmdline, List<CgroupMount> mounts, List<List<CgroupDir>> walks) {
    Optional<KernelVersion> kernel = host.kernelRelease().flatMap(KernelVersion::parse);
    boolean nrDyingSubsys = false;
    boolean psi = false;
    boolean peak = false;
    boolean reclaim = false;
    boolean eventsLocal = false;
    for (int i = 0; i < mounts.size(); i++) {
      if (mounts.get(i).version() != 2) {
        continue;
      }
      for (CgroupDir d : walks.get(i)) {
        psi |= d.files().contains("memory.pressure") || d.files().contains("cpu.pressure");
        peak |= d.files().contains("memory.peak");
        eventsLocal |= d.files().contains("memory.events.local");
        reclaim |= d.depth() == 0 && d.files().contains("memory.reclaim");
      }
    }
    return new Capabilities(kernel, nrDyingSubsys, psi, peak, reclaim, eventsLocal, cgroupParameters(cmdline),
        Capabilities.reparentsPageCache(kernel), Capabilities.dyingKeepMemcgIds(kernel),
        mounts.stream().allMatch(CgroupMount::fullView));
  }

  /** With the root's cgroup.stat read: does it print nr_dying_subsys_* lines? */
  static Capabilities withNrDyingSubsys(Capabilities c, boolean present) {
    return new Capabilities(c.kernel(), present, c.psi(), c.memoryPeak(), c.memoryReclaim(), c.memoryEventsLocal(),
        c.kernelCgroupParameters(), c.reparentsPageCache(), c.dyingKeepMemcgIds(), c.fullView());
  }

  /** Words of /proc/cmdline that change how cgroups behave (nokmem, v1/v2 switches, PSI). */
  static List<String> cgroupParameters(String cmdline) {
    return Arrays.stream(cmdline.strip().split("\\s+"))
        .filter(w -> w.startsWith("cgroup") || w.startsWith("systemd.unified_cgroup_hierarchy")
            || w.startsWith("systemd.legacy_systemd_cgroup_controller") || w.startsWith("psi="))
        .toList();
  }
}
