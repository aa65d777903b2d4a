package io.cgwatch.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.exporters.prometheus.Exposition.Variant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which exposition a publication renders before anyone asks: what was scraped since the last one, or Prometheus'
 * OpenMetrics+gzip before the first scrape. A format no scraper asks for is never made at scan time (it was, for
 * OpenMetrics+gzip, every scan: a second rendering and compression of the whole body).
 */
class EagerVariantsTest {
  @Test
  void beforeAnyScrapeOpenMetricsGzipIsReady() {
    assertEquals(EnumSet.of(Variant.OPENMETRICS_GZIP), Poller.eagerVariants(Set.of(), false));
  }

  @Test
  void onceScrapedOnlyWhatWasAskedForIsRendered() {
    assertEquals(EnumSet.of(Variant.TEXT_GZIP), Poller.eagerVariants(EnumSet.of(Variant.TEXT_GZIP), true));
    assertEquals(EnumSet.of(Variant.TEXT, Variant.OPENMETRICS_GZIP),
        Poller.eagerVariants(EnumSet.of(Variant.TEXT, Variant.OPENMETRICS_GZIP), true));
  }

  @Test
  void aQuietPeriodAfterScrapesRendersNothingUntilAsked() {
    // A scraper slower than the scans: its next request renders once, on demand, instead of every scan.
    assertEquals(EnumSet.noneOf(Variant.class), Poller.eagerVariants(Set.of(), true));
  }
}
