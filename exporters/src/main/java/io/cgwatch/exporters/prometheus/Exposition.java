package io.cgwatch.exporters.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One rendering of the metric families in both formats, plain and gzipped, made once per scan so that a scrape
 * only copies bytes, whatever the size of the tree. Immutable.
 */
public final class Exposition {
  private final byte[] text;
  private final byte[] textGzip;
  private final byte[] openMetrics;
  private final byte[] openMetricsGzip;

  private Exposition(byte[] text, byte[] openMetrics) {
    this.text = text;
    this.openMetrics = openMetrics;
    this.textGzip = gzip(text);
    this.openMetricsGzip = gzip(openMetrics);
  }

  public static Exposition render(List<MetricFamilySamples> families) {
    return new Exposition(write(families, false), write(families, true));
  }

  /** The body for an {@code Accept} header: OpenMetrics when asked for, else text 0.0.4. */
  public byte[] body(String contentType, boolean gzip) {
    boolean om = TextFormat.CONTENT_TYPE_OPENMETRICS_100.equals(contentType);
    if (om) {
      return gzip ? openMetricsGzip : openMetrics;
    }
    return gzip ? textGzip : text;
  }

  /** The text 0.0.4 rendering, for golden files and one-shot output. */
  public String text() {
    return new String(text, StandardCharsets.UTF_8);
  }

  public String openMetrics() {
    return new String(openMetrics, StandardCharsets.UTF_8);
  }

  private static byte[] write(List<MetricFamilySamples> families, boolean om) {
    int samples = 0;
    for (MetricFamilySamples f : families) {
      samples += f.samples.size();
    }
    // About 130 bytes a per-cgroup sample: sized once, not doubled through a dozen copies.
    Utf8ByteWriter w = new Utf8ByteWriter(samples * 160 + 8192);
    try {
      if (om) {
        TextFormat.writeOpenMetrics100(w, Collections.enumeration(families));
      } else {
        TextFormat.write004(w, Collections.enumeration(families));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory writer
    }
    return w.toByteArray();
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
