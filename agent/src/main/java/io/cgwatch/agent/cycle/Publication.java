package io.cgwatch.agent.cycle;

import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.exporters.prometheus.PrometheusRenderer;
import io.cgwatch.exporters.prometheus.SelfStats;
import io.cgwatch.model.Analysis;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one {@link ScanCycle} run produced, immutable: serve publishes it, diagnose and replay report it.
 *
 * @param analysis the latest usable analysis with the alerts of this cycle on it; after a failed scan the previous
 *     one (it ages, and serve stops exporting it), empty before the first success
 * @param scanned this cycle's own analysis with the same alerts, even when the scan read no hierarchy (diagnose
 *     reports that as UNKNOWN); empty when the scan threw
 * @param lastSuccess when a scan last succeeded
 * @param self the agent's own statistics, assembled once here for every exposition
 * @param failure why this cycle's scan failed, when it did
 */
public record Publication(Optional<Analysis> analysis, Optional<Analysis> scanned, Optional<Instant> lastSuccess,
    SelfStats self, Optional<String> failure) {

  /** The exposition of this publication, as {@code /metrics} serves it while fresh. */
  public Supplier<List<MetricFamilySamples>> families(ExportOptions options) {
    return () -> PrometheusRenderer.families(analysis, self, options);
  }

  /** The agent's own series only, with {@code cgwatch_up 0}: what {@code /metrics} serves once this is stale. */
  public Supplier<List<MetricFamilySamples>> staleFamilies(ExportOptions options) {
    return () -> PrometheusRenderer.families(Optional.empty(), self, options);
  }
}
