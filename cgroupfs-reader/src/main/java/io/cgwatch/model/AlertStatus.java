package io.cgwatch.model;

import java.time.Instant;

/**
 * A built-in alert that is pending or firing (or just resolved, for delivery).
 *
 * @param state {@code pending} (condition true, waiting for {@code for}), {@code firing} or {@code resolved}
 * @param cgroup the cgroup the alert is about ({@code /} for host-wide alerts)
 * @param value the rule's measured value (a count, bytes, a ratio or seconds, per rule)
 * @param activeSince when the condition first held in this episode
 */
public record AlertStatus(String name, String severity, String state, String hierarchy, String cgroup, double value,
    double threshold, Instant activeSince, String summary, String description) {

  public boolean firing() {
    return "firing".equals(state);
  }
}
