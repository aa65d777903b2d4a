package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountinfoParserTest {
  @Test
  void readsV1LineWithoutOptionalFields() throws Exception {
    // Linux 6.18 hybrid, captures/linux-6.18-hybrid/mountinfo_cgroup_lines.txt
    MountInfo m = MountinfoParser.parse("35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n")
        .get(0);
    assertEquals(new MountInfo(35, 31, "0:32", "/", "/sys/fs/cgroup/memory", List.of("rw", "relatime"), "cgroup",
        "cgroup", List.of("rw", "memory")), m);
  }

  @Test
  void splitsAtSeparatorAfterOptionalFields() throws Exception {
    MountInfo m = MountinfoParser.parse(
        "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 master:1 - cgroup2 cgroup2 "
            + "rw,nsdelegate,memory_recursiveprot\n").get(0);
    assertEquals("cgroup2", m.fsType());
    assertEquals(List.of("rw", "nsdelegate", "memory_recursiveprot"), m.superOptions());
  }

  @Test
  void undoesOctalEscapesInPaths() throws Exception {
    MountInfo m = MountinfoParser.parse(
        "40 31 0:37 /a\\040b\\134c /mnt/with\\040space rw - cgroup2 cgroup2 rw\n").get(0);
    assertEquals("/a b\\c", m.root());
    assertEquals("/mnt/with space", m.mountPoint());
  }

  @Test
  void cgroup2WithoutSuperOptionsFromSixEighteenHybrid() throws Exception {
    MountInfo m = MountinfoParser.parse("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n")
        .get(0);
    assertEquals(List.of("rw"), m.superOptions());
  }

  @Test
  void rejectsLineWithoutSeparator() {
    MalformedFileException e = assertThrows(MalformedFileException.class,
        () -> MountinfoParser.parse("22 27 0:21 / /proc rw,relatime proc proc rw\n"));
    assertEquals(true, e.getMessage().startsWith("line 1: expected"), e.getMessage());
  }
}
