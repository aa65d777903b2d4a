package io.cgwatch.agent.cycle;

import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.model.HostSnapshot;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a {@link ScanCycle} runs its scan: directly ({@link #NONE}: diagnose, replay), or guarded, e.g. under serve's
 * deadline, where a read that does not return in time is abandoned and the next scan still runs.
 */
public interface ScanGuard {
  ScanGuard NONE = new ScanGuard() {};

  /** The file access the scan reads through. */
  default ControlFiles files(ControlFiles real) {
    return real;
  }

  /** Runs the scan; may throw when the guard gives up on it. */
  default HostSnapshot scan(Supplier<HostSnapshot> scan) {
    return scan.get();
  }

  /** False for a read on a thread the guard gave up on: its late timing belongs to no scan. */
  default boolean counts(Thread reader) {
    return true;
  }

  /** When {@code e} is this guard giving up: the file the scan was stuck on ("" when unknown). */
  default Optional<String> gaveUp(Throwable e) {
    return Optional.empty();
  }
}
