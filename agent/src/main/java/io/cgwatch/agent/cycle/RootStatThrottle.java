package io.cgwatch.agent.cycle;

import java.time.Duration;

/**
 * Protects the kernel: once a read of the root {@code memory.stat} takes longer than the budget, it is read only on
 * every 10th scan until a read comes in under budget again. The slowness itself is exported
 * ({@code cgwatch_file_read_duration_seconds{file="memory.stat"}}): it is the earliest symptom of a pile-up.
 */
public final class RootStatThrottle {
  public static final int EVERY_NTH_SCAN = 10;
  private final double budgetSeconds;
  private boolean throttled;
  private int scansSinceRead;

  RootStatThrottle(Duration budget) {
    this.budgetSeconds = budget.toNanos() / 1e9;
  }

  /** Whether this scan should read the root memory.stat. */
  boolean shouldRead() {
    return !throttled || scansSinceRead + 1 >= EVERY_NTH_SCAN;
  }

  /**
   * After a scan: the root read's duration (negative when it was not read). Returns true when the throttle state
   * changed, so the change can be logged once.
   */
  boolean record(double seconds) {
    boolean before = throttled;
    if (seconds < 0) {
      scansSinceRead++;
    } else {
      scansSinceRead = 0;
      throttled = seconds > budgetSeconds;
    }
    return before != throttled;
  }

  boolean throttled() {
    return throttled;
  }

  double budgetSeconds() {
    return budgetSeconds;
  }
}
