package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.parse.MountinfoParser;
import io.cgwatch.model.CgroupMode;
import io.cgwatch.support.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mode detection on the mountinfo of real and derived hosts. */
class CgroupMountsTest {
  private static List<CgroupMount> mountsOf(String host) throws Exception {
    return CgroupMounts.find(MountinfoParser.parse(
        Fixtures.read(Fixtures.host(host).resolve("proc/self/mountinfo"))));
  }

  @Test
  void hybridHostHasV1ControllersAndUnifiedMount() throws Exception {
    List<CgroupMount> mounts = mountsOf("hybrid-6.18");
    assertEquals(CgroupMode.HYBRID, CgroupMounts.mode(mounts));
    assertEquals(List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd",
        "unified"), mounts.stream().map(CgroupMount::name).toList());
    CgroupMount systemd = mounts.get(8);
    assertTrue(systemd.controllers().isEmpty(), "a named hierarchy holds no controller");
  }

  @Test
  void unifiedHost() throws Exception {
    List<CgroupMount> mounts = mountsOf("unified-6.1-dying");
    assertEquals(CgroupMode.UNIFIED, CgroupMounts.mode(mounts));
    assertEquals(1, mounts.size());
    assertEquals("/sys/fs/cgroup", mounts.get(0).mount().mountPoint());
  }

  @Test
  void legacyHostWithCoMountedControllers() throws Exception {
    List<CgroupMount> mounts = mountsOf("legacy-v1");
    assertEquals(CgroupMode.LEGACY, CgroupMounts.mode(mounts));
    assertTrue(mounts.stream().anyMatch(m -> m.name().equals("cpu,cpuacct")
        && m.controllers().equals(List.of("cpu", "cpuacct"))));
  }

  @Test
  void noCgroupMountsIsUnavailable() throws Exception {
    assertEquals(CgroupMode.UNAVAILABLE, CgroupMounts.mode(CgroupMounts.find(MountinfoParser.parse(
        "22 27 0:21 / /proc rw,relatime - proc proc rw\n"))));
  }

  @Test
  void onlyANamedV1HierarchyBesideCgroup2IsUnified() throws Exception {
    assertEquals(CgroupMode.UNIFIED, CgroupMounts.mode(CgroupMounts.find(MountinfoParser.parse("""
        30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw
        40 30 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd
        """))));
  }

  @Test
  void sameHierarchyMountedTwiceIsListedOncePreferringTheFullView() throws Exception {
    List<CgroupMount> mounts = CgroupMounts.find(MountinfoParser.parse("""
        50 23 0:26 /kubepods/pod1 /host/sys/fs/cgroup rw - cgroup2 cgroup2 rw
        30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw
        """));
    assertEquals(1, mounts.size());
    assertTrue(mounts.get(0).fullView());
    assertEquals("/sys/fs/cgroup", mounts.get(0).mount().mountPoint());
  }

  @Test
  void partialViewIsRecognised() throws Exception {
    List<CgroupMount> mounts = CgroupMounts.find(MountinfoParser.parse(
        "30 23 0:26 /kubepods.slice/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"));
    assertFalse(mounts.get(0).fullView());
  }
}
