package io.cgwatch.exporters.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A variant rendered on its first request is byte for byte the one rendered eagerly, it is rendered once, and every
 * request is reported so the poller can render it eagerly next time.
 */
class ExpositionVariantsTest {
  private static final List<MetricFamilySamples> FAMILIES = List.of(new MetricFamilySamples("cgwatch_cgroup_memory_usage_bytes",
      Collector.Type.GAUGE, "Memory charged.", List.of(
          new MetricFamilySamples.Sample("cgwatch_cgroup_memory_usage_bytes", List.of("hierarchy", "cgroup"),
              List.of("unified", "/caf\u00e9 \"q\".scope"), 4096),
          new MetricFamilySamples.Sample("cgwatch_cgroup_memory_usage_bytes", List.of("hierarchy", "cgroup"),
              List.of("unified", "/jobs"), 1.5e9))));

  @Test
  void lazyVariantsEqualEagerOnesAndAreRenderedOnce() throws IOException {
    Exposition eager = Exposition.render(FAMILIES);
    AtomicInteger familyCalls = new AtomicInteger();
    List<Exposition.Variant> served = new ArrayList<>();
    Exposition lazy = Exposition.of(() -> {
      familyCalls.incrementAndGet();
      return FAMILIES;
    }, Set.of(), served::add);
    assertEquals(0, familyCalls.get(), "nothing rendered before a request");
    for (String type : List.of(TextFormat.CONTENT_TYPE_004, TextFormat.CONTENT_TYPE_OPENMETRICS_100)) {
      for (boolean gzip : List.of(true, false)) {
        byte[] first = lazy.body(type, gzip);
        assertSame(first, lazy.body(type, gzip), "the second request copies the same bytes");
        assertArrayEquals(plain(eager.body(type, gzip), gzip), plain(first, gzip), type + " gzip=" + gzip);
      }
    }
    assertEquals(4, familyCalls.get(), "one rendering per variant, none per scrape");
    assertEquals(EnumSet.allOf(Exposition.Variant.class), EnumSet.copyOf(served));
    assertEquals(8, served.size());
  }

  @Test
  void eagerVariantsAreReadyBeforeTheFirstRequest() {
    AtomicInteger familyCalls = new AtomicInteger();
    Exposition e = Exposition.of(() -> {
      familyCalls.incrementAndGet();
      return FAMILIES;
    }, EnumSet.of(Exposition.Variant.OPENMETRICS_GZIP, Exposition.Variant.TEXT), v -> { });
    assertEquals(1, familyCalls.get(), "families made once for all eager variants");
    e.body(TextFormat.CONTENT_TYPE_OPENMETRICS_100, true);
    e.body(TextFormat.CONTENT_TYPE_004, false);
    assertEquals(1, familyCalls.get(), "served from what was rendered eagerly");
  }

  /**
   * A gzipped body is written through a 64 KiB window straight into the compressor; it must decompress to the plain
   * body exactly, whatever falls on a window's edge: multi-byte characters, escapes, cached label values.
   */
  @Test
  void gzippedBodiesStreamedThroughTheWindowDecompressToThePlainBody() throws IOException {
    List<MetricFamilySamples.Sample> samples = new ArrayList<>();
    String[] pieces = {"a", "\u00e9", "\u20ac", "\ud83d\ude00", "\\", "\"", "\n", "\ud800", "long-ascii-part"};
    for (int i = 0; i < 6000; i++) {
      StringBuilder name = new StringBuilder("/");
      for (int j = 0; j <= i % 13; j++) {
        name.append(pieces[(i * 7 + j) % pieces.length]);
      }
      name.append(i % 50); // label values repeat, so some are copied from the writer's cache
      samples.add(new MetricFamilySamples.Sample("cgwatch_cgroup_memory_usage_bytes", List.of("hierarchy", "cgroup"),
          List.of("unified", name.toString()), i * 1.5));
    }
    List<MetricFamilySamples> big = List.of(new MetricFamilySamples("cgwatch_cgroup_memory_usage_bytes",
        Collector.Type.GAUGE, "Memory charged.", samples), FAMILIES.get(0));
    Exposition streamed = Exposition.of(() -> big, EnumSet.of(Exposition.Variant.TEXT_GZIP,
        Exposition.Variant.OPENMETRICS_GZIP), v -> { });
    Exposition plain = Exposition.of(() -> big, Set.of(), v -> { });
    for (String type : List.of(TextFormat.CONTENT_TYPE_004, TextFormat.CONTENT_TYPE_OPENMETRICS_100)) {
      byte[] text = plain.body(type, false);
      assertTrue(text.length > 4 * 65536, "the body spans several windows: " + text.length);
      assertArrayEquals(text, plain(streamed.body(type, true), true), type);
      assertArrayEquals(text, plain(plain.body(type, true), true), type + ", compressed from the plain body");
    }
  }

  private static byte[] plain(byte[] body, boolean gzip) throws IOException {
    return gzip ? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body;
  }
}
