package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cgwatch.cgroupfs.parse.CpuListParser;
import io.cgwatch.cgroupfs.parse.LimitParser;
import io.cgwatch.cgroupfs.parse.MalformedFileException;
import io.cgwatch.cgroupfs.parse.MeminfoParser;
import io.cgwatch.cgroupfs.parse.MountinfoParser;
import io.cgwatch.cgroupfs.parse.PressureParser;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The inputs {@link ParserFuzzTest} found, pinned so the fixes stay (docs/reliability.md lists them). */
class FuzzFoundBugsTest {
  @Test
  void limitOfAMibOfDigitsIsMalformedAtOnce() throws Exception {
    // Was: new BigInteger on 1 MiB of digits, minutes of CPU per file, i.e. a hung scan.
    String digits = "5" + "9".repeat(HostileText.ONE_MIB - 2) + "\n";
    MalformedFileException e = NoHang.run("LimitParser on 1 MiB of digits",
        () -> assertThrows(MalformedFileException.class, () -> LimitParser.parse(digits)));
    assertEquals(true, e.getMessage().startsWith("expected 'max' or a byte count"), e.getMessage());
  }

  @Test
  void memTotalThatWouldWrapIsMalformed() throws Exception {
    // Was: 9223372036775807 kB * 1024 wrapped to -9002011108051125248 bytes of RAM.
    assertThrows(MalformedFileException.class,
        () -> MeminfoParser.memTotalBytes("MemTotal:        9223372036775807 kB\n"));
    assertEquals(OptionalLong.of(9007199254740991L * 1024),
        MeminfoParser.memTotalBytes("MemTotal: 9007199254740991 kB\n"), "the largest that fits still parses");
  }

  @Test
  void mountIdBeyondAnIntIsMalformed() {
    // Was: id 9223372036854775807 became mount id -1.
    assertThrows(MalformedFileException.class, () -> MountinfoParser.parse(
        "9223372036854775807 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"));
    assertThrows(MalformedFileException.class, () -> MountinfoParser.parse(
        "-5 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"));
  }

  @Test
  void pressureAboveOneHundredPercentIsMalformed() {
    // Was: avg300=777...7.01 (1,000 digits) parsed as Infinity and reached the exposition.
    assertThrows(MalformedFileException.class, () -> PressureParser.parse(
        "some avg10=12.34 avg60=5.67 avg300=" + "7".repeat(1000) + ".01 total=123456789\n"));
    assertThrows(MalformedFileException.class, () -> PressureParser.parse(
        "some avg10=100.01 avg60=0.00 avg300=0.00 total=0\n"));
  }

  @Test
  void cpuListCountThatWouldOverflowIsMalformed() {
    // Was: 4,096 ranges of 2^20 CPUs summed into an int that wrapped negative.
    String list = String.join(",", java.util.Collections.nCopies(4096, "0-1048575"));
    assertThrows(MalformedFileException.class, () -> CpuListParser.count(list));
  }

  @Test
  void cpuListOfOnlyCommasIsMalformed() {
    // Was: " ," counted 0 CPUs (String.split drops trailing empty parts), and a host with 0 CPUs.
    assertThrows(MalformedFileException.class, () -> CpuListParser.count(" ,"));
    assertThrows(MalformedFileException.class, () -> CpuListParser.count("0-3,"));
  }
}
