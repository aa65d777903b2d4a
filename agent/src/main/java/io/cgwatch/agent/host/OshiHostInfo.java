package io.cgwatch.agent.host;

import io.cgwatch.model.HostInfo;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * Host facts of the machine this process runs on, from OSHI. Only used when reading the live host; another
 * host root (a fixture, a host mounted into a container) is described by its own /proc files.
 */
public final class OshiHostInfo {
  private OshiHostInfo() {}

  /** The host root's files' facts when they have all three; otherwise OSHI's, then the files' where it has none. */
  public static HostInfo read(HostInfo fromProc) {
    if (fromProc.kernelRelease().isPresent() && fromProc.cpus().isPresent()
        && fromProc.memoryTotalBytes().isPresent()) {
      // The files already said it all. OSHI (and JNA under it) cost a third of a second of start-up: a third of
      // diagnose's wall time on a small host, for the same three facts.
      return fromProc;
    }
    try {
      SystemInfo si = new SystemInfo();
      HardwareAbstractionLayer hal = si.getHardware();
      Optional<String> release = Optional.ofNullable(si.getOperatingSystem().getVersionInfo().getBuildNumber())
          .filter(s -> !s.isBlank());
      int cpus = hal.getProcessor().getLogicalProcessorCount();
      long memory = hal.getMemory().getTotal();
      return new HostInfo(release.or(fromProc::kernelRelease),
          cpus > 0 ? OptionalInt.of(cpus) : fromProc.cpus(),
          memory > 0 ? OptionalLong.of(memory) : fromProc.memoryTotalBytes());
    } catch (RuntimeException | LinkageError e) {
      return fromProc; // OSHI is a convenience here; the report never fails for it
    }
  }
}
