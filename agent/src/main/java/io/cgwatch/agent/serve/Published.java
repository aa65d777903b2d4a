package io.cgwatch.agent.serve;

import io.cgwatch.exporters.prometheus.Exposition;
import io.cgwatch.model.Analysis;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What scrapes see: everything rendered once per scan, immutable, swapped in whole. Scrapes never touch cgroupfs.
 *
 * @param fresh the full exposition, served while the last success is recent
 * @param stale the agent's own series only with {@code cgwatch_up 0}, served before the first scan and when scans
 *     stopped succeeding, so Prometheus marks the per-cgroup series stale instead of freezing them
 * @param snapshotJson the {@code diagnose --json} document of the same analysis, made on first request (empty
 *     before the first scan)
 */
record Published(Optional<Analysis> analysis, Optional<Instant> lastSuccess, Exposition fresh, Exposition stale,
    Optional<Memo<byte[]>> snapshotJson) {

  boolean isFresh(Instant now, Duration maxAge) {
    return lastSuccess.isPresent() && Duration.between(lastSuccess.get(), now).compareTo(maxAge) <= 0;
  }

  Exposition exposition(Instant now, Duration maxAge) {
    return isFresh(now, maxAge) ? fresh : stale;
  }
}
