package io.cgwatch.model;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** What is known about the host; each part is absent when neither OSHI nor the host root's files had it. */
public record HostInfo(Optional<String> kernelRelease, OptionalInt cpus, OptionalLong memoryTotalBytes) {
  public static final HostInfo UNKNOWN = new HostInfo(Optional.empty(), OptionalInt.empty(), OptionalLong.empty());
}
