package io.cgwatch.agent.alert;

import io.cgwatch.model.AlertStatus;
import java.util.List;
import java.util.Map;

/** Where alerts go after each evaluation. Must return quickly: the scan loop calls it. */
public interface AlertSink {
  /**
   * @param active the pending and firing alerts now
   * @param changes the state changes of this evaluation
   */
  void deliver(List<AlertStatus> active, List<AlertStatus> changes);

  /** Delivery outcomes so far ({@code success}, {@code failure}, {@code dropped}); empty for sinks that cannot fail. */
  default Map<String, Long> deliveries() {
    return Map.of();
  }
}
