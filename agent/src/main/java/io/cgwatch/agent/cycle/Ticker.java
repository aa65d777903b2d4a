package io.cgwatch.agent.cycle;

/**
 * Elapsed time in nanoseconds, for durations only (scans, file reads). Injected beside the {@link java.time.Clock}
 * so that a test can make every duration zero and compare two expositions byte for byte.
 */
@FunctionalInterface
public interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  long nanoTime();
}
