package io.cgwatch.exporters.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The bodies of one scan's metric families, in both formats, plain and gzipped. Immutable once made: a variant is
 * rendered at most once per publication, so a scrape only copies bytes, whatever the size of the tree.
 *
 * <p>Rendering every variant every scan was most of {@code serve}'s CPU, and a scraper asks for one (Prometheus:
 * OpenMetrics, gzipped). So the variants named {@code eager} are rendered when the exposition is made (the poller
 * passes the ones scraped since its last publication), and any other on its first request; {@code served} hears of
 * every request so the next publication can render it eagerly. Thread-safe.
 */
public final class Exposition {
  /** What a scraper can ask for. */
  public enum Variant {
    TEXT, TEXT_GZIP, OPENMETRICS, OPENMETRICS_GZIP;

    public static Variant of(String contentType, boolean gzip) {
      boolean om = TextFormat.CONTENT_TYPE_OPENMETRICS_100.equals(contentType);
      return om ? (gzip ? OPENMETRICS_GZIP : OPENMETRICS) : (gzip ? TEXT_GZIP : TEXT);
    }

    boolean openMetrics() {
      return this == OPENMETRICS || this == OPENMETRICS_GZIP;
    }

    boolean gzip() {
      return this == TEXT_GZIP || this == OPENMETRICS_GZIP;
    }
  }

  private final Supplier<List<MetricFamilySamples>> families;
  private final Consumer<Variant> served;
  private final AtomicReferenceArray<byte[]> bodies = new AtomicReferenceArray<>(Variant.values().length);

  private Exposition(Supplier<List<MetricFamilySamples>> families, Set<Variant> eager, Consumer<Variant> served) {
    this.families = families;
    this.served = served;
    if (!eager.isEmpty()) {
      List<MetricFamilySamples> once = families.get();
      for (Variant v : eager) {
        render(v, once);
      }
    }
  }

  /** Every variant rendered now (one-shot output, golden files). */
  public static Exposition render(List<MetricFamilySamples> families) {
    return new Exposition(() -> families, EnumSet.allOf(Variant.class), v -> { });
  }

  /**
   * @param families pure: called again for a variant first asked for later, so it must give the same families
   * @param eager rendered now; the others on their first request
   * @param served told of every {@link #body} request
   */
  public static Exposition of(Supplier<List<MetricFamilySamples>> families, Set<Variant> eager,
      Consumer<Variant> served) {
    return new Exposition(families, eager, served);
  }

  /** The body for an {@code Accept} header: OpenMetrics when asked for, else text 0.0.4. */
  public byte[] body(String contentType, boolean gzip) {
    Variant v = Variant.of(contentType, gzip);
    served.accept(v);
    byte[] b = bodies.get(v.ordinal());
    return b != null ? b : render(v, null);
  }

  /** The text 0.0.4 rendering, for golden files and one-shot output. */
  public String text() {
    return new String(body(TextFormat.CONTENT_TYPE_004, false), StandardCharsets.UTF_8);
  }

  public String openMetrics() {
    return new String(body(TextFormat.CONTENT_TYPE_OPENMETRICS_100, false), StandardCharsets.UTF_8);
  }

  /** Renders {@code v} unless another thread did; the plain body of a gzipped variant is kept only if rendered. */
  private synchronized byte[] render(Variant v, List<MetricFamilySamples> given) {
    byte[] done = bodies.get(v.ordinal());
    if (done != null) {
      return done;
    }
    Variant plainVariant = v.openMetrics() ? Variant.OPENMETRICS : Variant.TEXT;
    byte[] plain = bodies.get(plainVariant.ordinal());
    byte[] body;
    if (!v.gzip()) {
      body = write(given != null ? given : families.get(), v.openMetrics());
    } else if (plain != null) {
      body = gzip(plain);
    } else {
      // Written straight into the compressor: the plain text (~5 MB at 1,000 cgroups) is never held whole.
      body = gzipped(given != null ? given : families.get(), v.openMetrics());
    }
    bodies.set(v.ordinal(), body);
    return body;
  }

  private static int samples(List<MetricFamilySamples> families) {
    int samples = 0;
    for (MetricFamilySamples f : families) {
      samples += f.samples.size();
    }
    return samples;
  }

  private static byte[] write(List<MetricFamilySamples> families, boolean om) {
    // About 130 bytes a per-cgroup sample: sized once, not doubled through a dozen copies.
    int capacity = samples(families) * 160 + 8192;
    return om ? ExpositionWriter.openMetrics100(families, capacity) : ExpositionWriter.text004(families, capacity);
  }

  /** The window the writer flushes into the compressor, and the compressor's own output buffer. */
  private static final int GZIP_WINDOW_BYTES = 64 * 1024;

  private static byte[] gzipped(List<MetricFamilySamples> families, boolean om) {
    // About 6 compressed bytes a sample at the fastest level (4.9 MB of text → 275 KB at 1,000 cgroups).
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(samples(families) * 8 + 1024);
    try (GZIPOutputStream gz = fastGzip(bytes)) {
      ExpositionWriter.streamTo(families, om, gz, GZIP_WINDOW_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(plain.length / 16 + 64);
    try (GZIPOutputStream gz = fastGzip(bytes)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * zlib's fastest level: the exposition is made once per scan whether or not anyone compares sizes, and level 1
   * takes about 40% of the default level's CPU (14 against 36 ms for the 4.9 MB of a 1,000-cgroup host) for a body
   * ~25% larger (275 against 219 KB). The client decompresses the same bytes either way.
   */
  private static GZIPOutputStream fastGzip(ByteArrayOutputStream out) throws IOException {
    return new GZIPOutputStream(out, GZIP_WINDOW_BYTES) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
  }
}
