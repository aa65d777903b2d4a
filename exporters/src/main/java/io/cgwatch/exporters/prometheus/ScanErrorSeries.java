package io.cgwatch.exporters.prometheus;

import io.cgwatch.model.ScanError;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code cgwatch_scan_errors_total} series, with every label value that is known before the first error at 0:
 * a counter that only appears at its first increment shows nothing in a dashboard and in {@code rate()} until then,
 * and its first increment is lost to {@code rate()}. Known: the kinds a file can fail with, for every file read so
 * far, and the kinds a directory walk can fail with under {@code (directory)}.
 */
final class ScanErrorSeries {
  /** What the scan records against a directory (the file label is then {@code (directory)}). */
  static final String DIRECTORY = "(directory)";
  private static final List<String> FILE_KINDS = List.of(ScanError.Kind.MALFORMED.label(),
      ScanError.Kind.PERMISSION_DENIED.label(), ScanError.Kind.IO_ERROR.label(),
      ScanError.Kind.LIMIT_FILE_BYTES.label(), ScanError.Kind.NOT_REGULAR_FILE.label(),
      ScanError.Kind.TIMEOUT.label());
  private static final List<String> DIRECTORY_KINDS = List.of(ScanError.Kind.PERMISSION_DENIED.label(),
      ScanError.Kind.IO_ERROR.label(), ScanError.Kind.LIMIT_CGROUPS.label(), ScanError.Kind.LIMIT_DEPTH.label());

  private ScanErrorSeries() {}

  /** File, then kind, then count; sorted, so the exposition is stable. */
  static Map<String, Map<String, Long>> of(Map<String, Map<String, Long>> counted, Collection<String> filesRead) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (String file : filesRead) {
      Map<String, Long> kinds = out.computeIfAbsent(file, x -> new TreeMap<>());
      FILE_KINDS.forEach(k -> kinds.put(k, 0L));
    }
    Map<String, Long> dir = out.computeIfAbsent(DIRECTORY, x -> new TreeMap<>());
    DIRECTORY_KINDS.forEach(k -> dir.put(k, 0L));
    counted.forEach((file, kinds) -> kinds.forEach((kind, n) -> out.computeIfAbsent(file, x -> new TreeMap<>())
        .merge(kind, n, Long::sum)));
    return out;
  }
}
