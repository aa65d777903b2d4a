package io.cgwatch.model;

import java.time.Duration;
import java.util.List;

/**
 * What one scan cost and what went wrong.
 *
 * @param cgroupsRead cgroups whose files were read into the snapshot
 * @param vanished cgroups removed while they were being read (normal on a busy host, not an error)
 * @param errors files that could not be used, in the order met
 */
public record ScanDiagnostics(Duration duration, long cgroupsRead, long vanished, List<ScanError> errors) {
  public ScanDiagnostics {
    errors = List.copyOf(errors);
  }
}
