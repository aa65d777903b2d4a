package io.cgwatch.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.exporter.common.TextFormat;
import org.junit.jupiter.api.Test;

/** Accept and Accept-Encoding with q-values: q=0 means "not this", which a substring test used to ignore. */
class ContentNegotiationTest {
  static final String OM = TextFormat.CONTENT_TYPE_OPENMETRICS_100;
  static final String TEXT = TextFormat.CONTENT_TYPE_004;

  @Test
  void accept() {
    // what Prometheus 2.42 sends
    assertEquals(OM, ContentNegotiation.contentType("application/openmetrics-text;version=1.0.0,"
        + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
    assertEquals(TEXT, ContentNegotiation.contentType("application/openmetrics-text;q=0, text/plain"));
    assertEquals(TEXT, ContentNegotiation.contentType("application/openmetrics-text; q=0.0"));
    assertEquals(TEXT, ContentNegotiation.contentType("application/openmetrics-text;q=0.2, text/plain;q=0.9"));
    assertEquals(TEXT, ContentNegotiation.contentType("*/*"));
    assertEquals(TEXT, ContentNegotiation.contentType(null));
    assertEquals(TEXT, ContentNegotiation.contentType("application/openmetrics-text;q=nonsense"));
    assertEquals(OM, ContentNegotiation.contentType("Application/OpenMetrics-Text"));
  }

  @Test
  void acceptEncoding() {
    assertTrue(ContentNegotiation.gzip("gzip"));
    assertTrue(ContentNegotiation.gzip("deflate, gzip;q=0.5"));
    assertTrue(ContentNegotiation.gzip("*"));
    assertFalse(ContentNegotiation.gzip("gzip;q=0"));
    assertFalse(ContentNegotiation.gzip("gzip;q=0, identity"));
    assertFalse(ContentNegotiation.gzip("*;q=0"));
    assertFalse(ContentNegotiation.gzip("identity"));
    assertFalse(ContentNegotiation.gzip(null));
  }
}
