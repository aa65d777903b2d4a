package io.cgwatch.model;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A count of dying cgroups with how it was obtained. Absent with a reason when it cannot be known honestly
 * (no memory controller, a container's partial view of the hierarchy).
 */
public record DyingCount(OptionalLong count, Optional<DyingMethod> method, Optional<String> unknownReason) {

  public static DyingCount of(long count, DyingMethod method) {
    return new DyingCount(OptionalLong.of(count), Optional.of(method), Optional.empty());
  }

  public static DyingCount unknown(String reason) {
    return new DyingCount(OptionalLong.empty(), Optional.empty(), Optional.of(reason));
  }
}
