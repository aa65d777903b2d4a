package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Single values, controller lists, /proc/meminfo, CPU lists. */
class SmallFormatsTest {
  @Test
  void singleValue() throws Exception {
    assertEquals(52862976L, SingleValueParser.parseLong("52862976\n"));
    assertThrows(MalformedFileException.class, () -> SingleValueParser.parseLong("garbage\n"));
    assertThrows(MalformedFileException.class, () -> SingleValueParser.parseLong(""));
    assertThrows(MalformedFileException.class, () -> SingleValueParser.parseLong("1 2\n"));
  }

  @Test
  void zeroByteSubtreeControlIsEmptyList() throws Exception {
    // The kernel prints nothing at all, not even a newline, for an empty mask.
    assertEquals(List.of(), ControllerListParser.parse(""));
  }

  @Test
  void controllerList() throws Exception {
    assertEquals(List.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"),
        ControllerListParser.parse("cpuset cpu io memory hugetlb pids rdma misc\n"));
    assertEquals(List.of("hugetlb"), ControllerListParser.parse("hugetlb\n"));
    assertThrows(MalformedFileException.class, () -> ControllerListParser.parse("cpu\nio\n"));
  }

  @Test
  void meminfoTotal() throws Exception {
    assertEquals(OptionalLong.of(2014280L * 1024),
        MeminfoParser.memTotalBytes("MemTotal:        2014280 kB\nMemFree:          123 kB\n"));
    assertEquals(OptionalLong.empty(), MeminfoParser.memTotalBytes("MemFree: 1 kB\n"));
    assertThrows(MalformedFileException.class, () -> MeminfoParser.memTotalBytes("MemTotal: lots\n"));
  }

  @Test
  void cpuList() throws Exception {
    assertEquals(2, CpuListParser.count("0-1\n"));
    assertEquals(1, CpuListParser.count("0\n"));
    assertEquals(7, CpuListParser.count("0-3,8,10-11\n"));
    assertThrows(MalformedFileException.class, () -> CpuListParser.count("3-1\n"));
    assertThrows(MalformedFileException.class, () -> CpuListParser.count("\n"));
  }
}
