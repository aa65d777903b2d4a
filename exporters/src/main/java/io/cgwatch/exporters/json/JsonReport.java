package io.cgwatch.exporters.json;

import java.util.List;
import java.util.Map;

/**
 * The JSON document of {@code cgwatch diagnose --json}, schema version {@value #SCHEMA_VERSION}. These records
 * are the contract (documented in docs/json-schema.md); the internal model may change without changing them.
 * Field order is declaration order. A value the kernel did not provide is {@code null}, never 0. Limits are a
 * number of bytes or the string {@code "max"}, as the kernel writes them.
 */
public final class JsonReport {
  public static final int SCHEMA_VERSION = 1;

  private JsonReport() {}

  public record Document(int schemaVersion, String takenAt, Host host, List<Hierarchy> hierarchies,
      Dying dyingMemoryCgroups, List<Cgroup> cgroups, Scan scan) {}

  public record Host(String kernelRelease, String cgroupMode, Integer cpus, Long memoryTotalBytes) {}

  public record Hierarchy(String name, int version, String mountPoint, String mountRoot, boolean fullView,
      List<String> controllers, long liveCgroups, Long dyingCgroups, String dyingMethod, String dyingUnknownReason) {}

  public record Dying(Long count, String method, String unknownReason) {}

  public record Cgroup(String hierarchy, String path, long inode, int depth, Boolean populated,
      Long nrDescendants, Long nrDyingDescendants, Map<String, Long> nrSubsys, Map<String, Long> nrDyingSubsys,
      List<String> controllers, List<String> subtreeControl, Memory memory, Pressures pressure, Pids pids) {}

  /** {@code *_bytes} limits are a number or {@code "max"}. */
  public record Memory(Long currentBytes, Object minBytes, Object lowBytes, Object highBytes, Object maxBytes,
      Long peakBytes, Long swapCurrentBytes, Map<String, Long> events, Map<String, Long> eventsLocal,
      Map<String, Long> stat) {}

  public record Pressures(Pressure memory, Pressure cpu, Pressure io) {}

  public record Pressure(Psi some, Psi full) {}

  public record Psi(double avg10, double avg60, double avg300, double totalSeconds) {}

  public record Pids(Long current, Object max) {}

  public record Scan(double durationSeconds, long cgroups, long vanished, List<Error> errors) {}

  public record Error(String path, String file, String kind, String message) {}
}
