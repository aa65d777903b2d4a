package io.cgwatch.agent.lifecycle;

import java.time.Duration;

/**
 * @param retention how long a removed cgroup is remembered (its tombstone), default 24 h
 * @param maxTombstones at most this many are kept; the oldest are dropped first, and counted
 */
public record TrackerSettings(Duration retention, int maxTombstones) {
  public static final TrackerSettings DEFAULTS = new TrackerSettings(Duration.ofHours(24), 50_000);

  public TrackerSettings {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    if (maxTombstones < 1) {
      throw new IllegalArgumentException("maxTombstones must be at least 1, got " + maxTombstones);
    }
  }
}
