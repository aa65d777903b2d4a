package io.cgwatch.model;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What is known about the host; each part is absent when neither OSHI nor the host root's files had it.
 *
 * @param percpuBytes {@code Percpu:} of {@code /proc/meminfo} (4.16+): every per-CPU allocation of the kernel,
 *     measured at this scan; the per-CPU statistics of each memory cgroup, live or dying, are part of it
 */
public record HostInfo(Optional<String> kernelRelease, OptionalInt cpus, OptionalLong memoryTotalBytes,
    OptionalLong percpuBytes) {
  public static final HostInfo UNKNOWN = new HostInfo(Optional.empty(), OptionalInt.empty(), OptionalLong.empty(),
      OptionalLong.empty());

  public HostInfo(Optional<String> kernelRelease, OptionalInt cpus, OptionalLong memoryTotalBytes) {
    this(kernelRelease, cpus, memoryTotalBytes, OptionalLong.empty());
  }

  /** These facts with another scan's measurement of per-CPU memory. */
  public HostInfo withPercpuBytes(OptionalLong measured) {
    return new HostInfo(kernelRelease, cpus, memoryTotalBytes, measured);
  }
}
