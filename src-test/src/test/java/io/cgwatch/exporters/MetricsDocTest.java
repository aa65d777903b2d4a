package io.cgwatch.exporters;

import io.cgwatch.exporters.prometheus.MetricsDoc;
import io.cgwatch.support.Golden;
import org.junit.jupiter.api.Test;

/** docs/metrics.md is the metric catalog and the runtime collectors, rendered; it must not drift from the code. */
class MetricsDocTest {
  @Test
  void docsMetricsMdIsUpToDate() {
    Golden.assertMatchesFile("../docs/metrics.md", MetricsDoc.render(io.cgwatch.support.RuntimeFamilies.families()));
  }
}
