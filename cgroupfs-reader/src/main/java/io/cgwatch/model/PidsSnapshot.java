package io.cgwatch.model;

import java.util.Optional;
import java.util.OptionalLong;

/** {@code pids.current} and {@code pids.max}; both absent on the root and where the controller is off. */
public record PidsSnapshot(OptionalLong current, Optional<Limit> max) {
  public boolean isEmpty() {
    return current.isEmpty() && max.isEmpty();
  }
}
