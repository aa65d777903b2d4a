package io.cgwatch.agent.alert;

import io.cgwatch.model.AlertStatus;
import java.util.List;

/** Where alerts go after each evaluation. Must return quickly: the scan loop calls it. */
public interface AlertSink {
  /**
   * @param active the pending and firing alerts now
   * @param changes the state changes of this evaluation
   */
  void deliver(List<AlertStatus> active, List<AlertStatus> changes);
}
