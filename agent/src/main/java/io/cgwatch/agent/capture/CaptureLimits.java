package io.cgwatch.agent.capture;

import java.time.Duration;

/**
 * Bounds of one capture.
 *
 * @param maxFiles directories and files written, at most
 * @param maxBytes bytes of file content written, at most
 * @param timeout wall time, at most
 */
record CaptureLimits(long maxFiles, long maxBytes, Duration timeout) {
  static final CaptureLimits DEFAULTS = new CaptureLimits(200_000, 512L << 20, Duration.ofSeconds(60));
}
