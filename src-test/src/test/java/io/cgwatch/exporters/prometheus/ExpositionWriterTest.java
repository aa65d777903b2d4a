package io.cgwatch.exporters.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.exemplars.Exemplar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our exposition writer gives exactly the bytes simpleclient's TextFormat gives through the JDK's UTF-8 encoder, in
 * both formats: for hostile cgroup names (quotes, backslashes, newlines, lone surrogates), every value a sample can
 * hold, every family type, timestamps and exemplars. The golden files check the real families; this checks the rest.
 */
class ExpositionWriterTest {
  private static final String[] NAMES = {"", "/system.slice/cron.service", "caf\u00e9.scope", "\u65e5\u672c.slice",
      "emoji-\ud83d\ude00-scope", "lone-high-\ud83d", "lone-low-\ude00-x", "\ud83d\ud83d\ude00", "\ud83d",
      "quote\"back\\slash\nnewline", "\\", "\"", "\n\n", "tab\there", "\u0000nul", "\u007f\u0080\u07ff\u0800\uffff"};

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0, 1.0, -1.0, 4096, 9_999_999, 10_000_000, -9_999_999, -10_000_000, 1.5e9, 0.5,
      1e-3, 9.99e-4, 123456789, 9.007199254740993e15, Long.MAX_VALUE, Double.MAX_VALUE, Double.MIN_VALUE,
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 2.5e-7, 1234567.0, 1234567.5})
  void formatsValuesLikeTextFormat(double value) throws IOException {
    assertSameBytes(List.of(family("v", Collector.Type.GAUGE, List.of(new Sample("v", List.of(), List.of(), value)))));
  }

  @Test
  void hostileLabelValuesAndHelpLikeTextFormat() throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (String name : NAMES) {
      samples.add(new Sample("cgwatch_x", List.of("hierarchy", "cgroup"), List.of("unified", name), 1));
    }
    for (String help : NAMES) {
      // The same String objects in two families: the writer encodes a label value once and copies it after.
      assertSameBytes(List.of(family("cgwatch_x", Collector.Type.GAUGE, samples, help, ""),
          family("cgwatch_y", Collector.Type.COUNTER, samples, help, "")));
    }
  }

  @Test
  void everyTypeTimestampsExemplarsAndTheTextTrailerLikeTextFormat() throws IOException {
    List<MetricFamilySamples> families = new ArrayList<>();
    for (Collector.Type type : Collector.Type.values()) {
      String n = "m_" + type.name().toLowerCase();
      families.add(family(n, type, List.of(
          new Sample(n + "_total", List.of("a"), List.of("x"), 3, new Exemplar(1.5, 1_700_000_000_123L, "trace",
              "ab\"c")),
          new Sample(n + "_created", List.of("a"), List.of("x"), 1.7e9, 1_700_000_000_005L),
          new Sample(n + "_gcount", List.of(), List.of(), 2, -1_234L),
          new Sample(n + "_gsum", List.of(), List.of(), 7.25),
          new Sample(n + "_bucket", List.of("le"), List.of("+Inf"), 2, 999L),
          new Sample(n, List.of(), List.of(), 1, new Exemplar(0.25, "id", "\u00e9"), 0L))));
    }
    families.add(family("with_unit_seconds", Collector.Type.GAUGE,
        List.of(new Sample("with_unit_seconds", List.of(), List.of(), 1)), "help", "seconds"));
    assertSameBytes(families);
  }

  @Test
  void randomFamiliesLikeTextFormat() throws IOException {
    Random random = new Random(16);
    for (int round = 0; round < 300; round++) {
      List<MetricFamilySamples> families = new ArrayList<>();
      for (int f = random.nextInt(4); f >= 0; f--) {
        String name = "cgwatch_m" + f;
        List<Sample> samples = new ArrayList<>();
        for (int s = random.nextInt(6); s > 0; s--) {
          samples.add(new Sample(name, List.of("hierarchy", "cgroup"), List.of("unified", randomName(random)),
              randomValue(random)));
        }
        families.add(family(name, Collector.Type.values()[random.nextInt(Collector.Type.values().length)], samples,
            randomName(random), ""));
      }
      assertSameBytes(families);
    }
  }

  @Test
  void growsPastItsInitialCapacity() throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      samples.add(new Sample("big", List.of("cgroup"), List.of("x\u00e9\ud83d\ude00\"".repeat(i % 7)), i));
    }
    List<MetricFamilySamples> families = List.of(family("big", Collector.Type.GAUGE, samples));
    assertArrayEquals(textFormat(families, false), ExpositionWriter.text004(families, 1));
    assertArrayEquals(textFormat(families, true), ExpositionWriter.openMetrics100(families, 1));
  }

  private static String randomName(Random random) {
    char[] chars = new char[random.nextInt(12)];
    for (int j = 0; j < chars.length; j++) {
      int kind = random.nextInt(5);
      chars[j] = switch (kind) {
        case 0 -> "\\\"\n{}=,#".charAt(random.nextInt(8));
        case 1 -> (char) (0xD700 + random.nextInt(0x900)); // around the surrogates, where encoders go wrong
        case 2 -> (char) random.nextInt(0x10000);
        default -> (char) ('a' + random.nextInt(26));
      };
    }
    return new String(chars);
  }

  private static double randomValue(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> random.nextInt(20_000_000) - 10_000_000; // whole numbers either side of 10^7
      case 1 -> random.nextLong();
      case 2 -> Double.longBitsToDouble(random.nextLong()); // anything, NaN and infinities included
      case 3 -> random.nextDouble() * 100;
      case 4 -> (double) (random.nextLong() >>> random.nextInt(64));
      default -> random.nextInt(100);
    };
  }

  private static MetricFamilySamples family(String name, Collector.Type type, List<Sample> samples) {
    return family(name, type, samples, "Help of " + name + ".", "");
  }

  private static MetricFamilySamples family(String name, Collector.Type type, List<Sample> samples, String help,
      String unit) {
    return new MetricFamilySamples(name, unit, type, help, samples);
  }

  private static void assertSameBytes(List<MetricFamilySamples> families) throws IOException {
    assertArrayEquals(textFormat(families, false), ExpositionWriter.text004(families, 16), "text 0.0.4");
    assertArrayEquals(textFormat(families, true), ExpositionWriter.openMetrics100(families, 16), "OpenMetrics");
  }

  /** The reference: simpleclient's writer through the JDK's UTF-8 encoder. */
  private static byte[] textFormat(List<MetricFamilySamples> families, boolean om) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
      if (om) {
        TextFormat.writeOpenMetrics100(w, Collections.enumeration(families));
      } else {
        TextFormat.write004(w, Collections.enumeration(families));
      }
    }
    return bytes.toByteArray();
  }
}
