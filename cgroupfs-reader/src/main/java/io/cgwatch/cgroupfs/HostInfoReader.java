package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.CpuListParser;
import io.cgwatch.cgroupfs.parse.MeminfoParser;
import io.cgwatch.model.HostInfo;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Host facts from the host root's own files: {@code proc/sys/kernel/osrelease}, {@code proc/meminfo},
 * {@code sys/devices/system/cpu/online}. Used for any host root; the agent prefers OSHI for the live host.
 */
final class HostInfoReader {
  private HostInfoReader() {}

  static HostInfo read(HostRoots roots, ScanContext ctx) {
    Optional<String> release = ctx.readHostFile(roots.procRoot().resolve("sys/kernel/osrelease"),
        "/proc/sys/kernel", "osrelease", String::strip).filter(s -> !s.isEmpty());
    Optional<Integer> cpus = ctx.readHostFile(roots.hostRoot().resolve("sys/devices/system/cpu/online"),
        "/sys/devices/system/cpu", "online", CpuListParser::count);
    Optional<MeminfoParser.Meminfo> meminfo = ctx.readHostFile(roots.procRoot().resolve("meminfo"), "/proc",
        "meminfo", MeminfoParser::parse);
    return new HostInfo(release, cpus.map(OptionalInt::of).orElse(OptionalInt.empty()),
        meminfo.map(MeminfoParser.Meminfo::memTotalBytes).orElse(OptionalLong.empty()),
        meminfo.map(MeminfoParser.Meminfo::percpuBytes).orElse(OptionalLong.empty()));
  }
}
