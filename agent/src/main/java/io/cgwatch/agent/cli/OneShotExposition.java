package io.cgwatch.agent.cli;

import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.exporters.prometheus.Exposition;
import io.cgwatch.exporters.prometheus.HistogramSnapshot;
import io.cgwatch.exporters.prometheus.PrometheusRenderer;
import io.cgwatch.exporters.prometheus.SelfStats;
import io.cgwatch.model.Analysis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code diagnose --format prometheus|openmetrics}: serve's exposition, for one run. node_exporter's textfile
 * collector reads only the text format 0.0.4 (OpenMetrics reaches it as untyped, without HELP), so that is the
 * one for it; OpenMetrics is for scripts and collectors that parse it.
 */
final class OneShotExposition {
  private OneShotExposition() {}

  static String render(Analysis a, int samples, Duration interval, boolean openMetrics) {
    double seconds = a.snapshot().scan().duration().toNanos() / 1e9;
    SelfStats self = new SelfStats(VersionProvider.version(), samples, 0,
        new HistogramSnapshot(List.of(Double.POSITIVE_INFINITY), List.of(1L), 1, seconds),
        a.snapshot().scan().vanished(), errors(a), Map.of(), OptionalDouble.empty(), false,
        OptionalDouble.of(a.snapshot().takenAt().toEpochMilli() / 1000.0), a.snapshot().scan().cgroupsRead(),
        Map.of(), interval.toMillis() / 1000.0);
    Exposition e = Exposition.render(PrometheusRenderer.families(java.util.Optional.of(a), self,
        new ExportOptions(3, List.of(), List.of(), Integer.MAX_VALUE)));
    return openMetrics ? e.openMetrics() : e.text();
  }

  /** The last scan's errors, counted as serve counts them (by file, then kind). */
  private static Map<String, Map<String, Long>> errors(Analysis a) {
    Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
    for (io.cgwatch.model.ScanError e : a.snapshot().scan().errors()) {
      out.computeIfAbsent(e.file().isEmpty() ? "(directory)" : e.file(), f -> new java.util.TreeMap<>())
          .merge(e.kind().label(), 1L, Long::sum);
    }
    return out;
  }
}
