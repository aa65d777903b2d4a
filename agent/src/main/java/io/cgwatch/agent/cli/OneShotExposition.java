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

/** {@code diagnose --format openmetrics}: serve's exposition, for one run (textfile collectors, scripts). */
final class OneShotExposition {
  private OneShotExposition() {}

  static String render(Analysis a, int samples, Duration interval) {
    double seconds = a.snapshot().scan().duration().toNanos() / 1e9;
    SelfStats self = new SelfStats(VersionProvider.version(), samples, 0,
        new HistogramSnapshot(List.of(Double.POSITIVE_INFINITY), List.of(1L), 1, seconds),
        a.snapshot().scan().vanished(), Map.of(), Map.of(), OptionalDouble.empty(), false,
        OptionalDouble.of(a.snapshot().takenAt().toEpochMilli() / 1000.0), a.snapshot().scan().cgroupsRead(),
        Map.of(), interval.toMillis() / 1000.0);
    return Exposition.render(PrometheusRenderer.families(java.util.Optional.of(a), self,
        new ExportOptions(3, List.of(), List.of(), Integer.MAX_VALUE))).openMetrics();
  }
}
