package io.cgwatch.model;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code pids.current}, {@code pids.max} and {@code pids.events} ({@code max N}: forks refused at the limit);
 * all absent on the root and where the controller is off.
 */
public record PidsSnapshot(OptionalLong current, Optional<Limit> max, Optional<Map<String, Long>> events) {
  public PidsSnapshot {
    events = KeyedCounters.immutableIn(events);
  }

  public boolean isEmpty() {
    return current.isEmpty() && max.isEmpty() && events.isEmpty();
  }
}
