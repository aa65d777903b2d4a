package io.cgwatch.agent.capture;

import io.cgwatch.cgroupfs.parse.MalformedFileException;
import io.cgwatch.cgroupfs.parse.MountInfo;
import io.cgwatch.cgroupfs.parse.MountinfoParser;
import java.util.ArrayList;
import java.util.List;

/**
 * The mountinfo lines a capture keeps: every cgroup mount and the tmpfs at {@code /sys/fs/cgroup} (a hybrid
 * host's base), nothing else of a host's mount table; under {@code --anonymize} a cgroup mount's root field (a
 * cgroup path for a partial view) is hashed component by component.
 *
 * @param lines the kept lines, as written to the capture's {@code proc/self/mountinfo}
 * @param cgroupMounts the cgroup mounts among them, for {@code ReadPlan.mounts} to choose from
 */
record CapturedMountinfo(List<String> lines, List<MountInfo> cgroupMounts) {
  static final String SYS_FS_CGROUP = "/sys/fs/cgroup";

  static CapturedMountinfo of(String mountinfo, boolean anonymize) {
    List<String> lines = new ArrayList<>();
    List<MountInfo> cgroupMounts = new ArrayList<>();
    for (String line : mountinfo.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      MountInfo m;
      try {
        m = MountinfoParser.parse(line).get(0);
      } catch (MalformedFileException | IndexOutOfBoundsException e) {
        continue; // a line the reader would refuse as well: not copied
      }
      boolean cgroup = "cgroup".equals(m.fsType()) || "cgroup2".equals(m.fsType());
      boolean base = "tmpfs".equals(m.fsType()) && SYS_FS_CGROUP.equals(m.mountPoint());
      if (!cgroup && !base) {
        continue;
      }
      lines.add(anonymize && cgroup ? anonymizeRoot(line, m) : line);
      if (cgroup) {
        cgroupMounts.add(m);
      }
    }
    return new CapturedMountinfo(List.copyOf(lines), List.copyOf(cgroupMounts));
  }

  private static String anonymizeRoot(String line, MountInfo m) {
    String[] f = line.split(" ", -1);
    f[3] = Anonymizer.path(m.root());
    return String.join(" ", f);
  }
}
