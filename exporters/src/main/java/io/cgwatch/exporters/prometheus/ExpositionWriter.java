package io.cgwatch.exporters.prometheus;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes metric families as text 0.0.4 or OpenMetrics 1.0.0 straight into UTF-8 bytes, byte for byte what
 * simpleclient's {@link TextFormat} writes through a UTF-8 writer (same order, escapes, number formatting, the
 * 0.0.4 trailer of {@code _created}/{@code _gcount}/{@code _gsum} gauges). {@code TextFormat} pushes every char of
 * every label value through {@code Writer.append(char)} and formats every value with {@code Double.toString}:
 * that was a third of {@code serve}'s CPU. Here a string is one loop of array stores and a whole number below 10^7
 * (counts, most series) is formatted without making a String. Unpaired surrogates become {@code '?'}, as the JDK's
 * encoder does. Not thread-safe; one per rendering.
 *
 * <p>With a sink ({@link #streamTo}) the buffer is a fixed window flushed to the sink when full, so a gzipped body
 * is made without first holding its plain text (~5 MB at 1,000 cgroups, garbage after every scan).
 */
final class ExpositionWriter {
  private byte[] buf;
  private int count;
  /** Where a full buffer goes; null: the buffer grows and holds the whole body. */
  private final OutputStream sink;
  /** While a label value is encoded, its bytes must stay in the buffer (they are cached): grow, do not flush. */
  private boolean holding;
  /** Label values already written, by identity (equal Strings that are not the same object are encoded again). */
  private final Map<String, byte[]> encoded = new IdentityHashMap<>();

  ExpositionWriter(int initialCapacity) {
    this(initialCapacity, null);
  }

  private ExpositionWriter(int initialCapacity, OutputStream sink) {
    buf = new byte[Math.max(64, initialCapacity)];
    this.sink = sink;
  }

  /**
   * Writes the body into {@code sink} through a buffer of {@code bufferSize} bytes (the same bytes
   * {@link #text004} or {@link #openMetrics100} returns); the sink is not closed.
   */
  static void streamTo(List<MetricFamilySamples> families, boolean openMetrics, OutputStream sink, int bufferSize) {
    ExpositionWriter w = new ExpositionWriter(bufferSize, sink);
    if (openMetrics) {
      w.writeOpenMetrics100(families);
    } else {
      w.write004(families);
    }
    w.flush();
  }

  /** The bytes {@code TextFormat.write004} gives. */
  static byte[] text004(List<MetricFamilySamples> families, int initialCapacity) {
    ExpositionWriter w = new ExpositionWriter(initialCapacity);
    w.write004(families);
    return w.toByteArray();
  }

  /** The bytes {@code TextFormat.writeOpenMetrics100} gives. */
  static byte[] openMetrics100(List<MetricFamilySamples> families, int initialCapacity) {
    ExpositionWriter w = new ExpositionWriter(initialCapacity);
    w.writeOpenMetrics100(families);
    return w.toByteArray();
  }

  private void write004(List<MetricFamilySamples> families) {
    Map<String, MetricFamilySamples> omFamilies = new TreeMap<>();
    for (MetricFamilySamples f : families) {
      String suffix = f.type == Collector.Type.COUNTER ? "_total" : f.type == Collector.Type.INFO ? "_info" : "";
      ascii("# HELP ");
      utf8(f.name);
      ascii(suffix);
      put(' ');
      escaped(f.help, false);
      put('\n');
      ascii("# TYPE ");
      utf8(f.name);
      ascii(suffix);
      put(' ');
      ascii(typeString(f.type));
      put('\n');
      String created = f.name + "_created";
      String gcount = f.name + "_gcount";
      String gsum = f.name + "_gsum";
      for (Sample s : f.samples) {
        if (s.name.equals(created) || s.name.equals(gcount) || s.name.equals(gsum)) {
          // OpenMetrics-only samples: 0.0.4 puts them in gauges at the end, as TextFormat does.
          omFamilies.computeIfAbsent(s.name, n -> new MetricFamilySamples(n, Collector.Type.GAUGE, f.help,
              new ArrayList<>())).samples.add(s);
          continue;
        }
        labels(s, false);
        put(' ');
        value(s.value);
        if (s.timestampMs != null) {
          put(' ');
          ascii(s.timestampMs.toString());
        }
        put('\n');
      }
    }
    if (!omFamilies.isEmpty()) {
      write004(new ArrayList<>(omFamilies.values()));
    }
  }

  private void writeOpenMetrics100(List<MetricFamilySamples> families) {
    for (MetricFamilySamples f : families) {
      ascii("# TYPE ");
      utf8(f.name);
      put(' ');
      ascii(omTypeString(f.type));
      put('\n');
      if (!f.unit.isEmpty()) {
        ascii("# UNIT ");
        utf8(f.name);
        put(' ');
        utf8(f.unit);
        put('\n');
      }
      ascii("# HELP ");
      utf8(f.name);
      put(' ');
      escaped(f.help, true);
      put('\n');
      for (Sample s : f.samples) {
        labels(s, true);
        put(' ');
        value(s.value);
        if (s.timestampMs != null) {
          put(' ');
          omTimestamp(s.timestampMs);
        }
        if (s.exemplar != null) {
          ascii(" # {");
          for (int i = 0; i < s.exemplar.getNumberOfLabels(); i++) {
            if (i > 0) {
              put(',');
            }
            utf8(s.exemplar.getLabelName(i));
            ascii("=\"");
            escaped(s.exemplar.getLabelValue(i), true);
            put('"');
          }
          ascii("} ");
          value(s.exemplar.getValue());
          if (s.exemplar.getTimestampMs() != null) {
            put(' ');
            omTimestamp(s.exemplar.getTimestampMs());
          }
        }
        put('\n');
      }
    }
    ascii("# EOF\n");
  }

  /**
   * {@code name{a="x",b="y"}} in OpenMetrics, {@code name{a="x",b="y",}} in 0.0.4 (simpleclient 0.16 writes a comma
   * after every label there, which the format allows), or the bare name.
   */
  private void labels(Sample s, boolean om) {
    utf8(s.name);
    int n = s.labelNames.size();
    if (n > 0) {
      put('{');
      for (int i = 0; i < n; i++) {
        if (i > 0 && om) {
          put(',');
        }
        utf8(s.labelNames.get(i));
        ascii("=\"");
        labelValue(s.labelValues.get(i));
        put('"');
        if (!om) {
          put(',');
        }
      }
      put('}');
    }
  }

  /**
   * A label value, escaped and encoded once per rendering: a cgroup's path is the same String in each of its ~20
   * series, and encoding it char by char was most of the writer's time.
   */
  private void labelValue(String s) {
    byte[] done = encoded.get(s);
    if (done != null) {
      ensure(done.length);
      System.arraycopy(done, 0, buf, count, done.length);
      count += done.length;
      return;
    }
    int start = count;
    holding = true;
    escaped(s, true);
    holding = false;
    encoded.put(s, Arrays.copyOfRange(buf, start, count));
  }

  /** {@code Collector.doubleToGoString}: +Inf, -Inf, else {@code Double.toString}. */
  private void value(double v) {
    // Below 10^7 Double.toString prints a whole number as its digits and ".0"; -0.0 keeps its sign there.
    if (v == Math.rint(v) && Math.abs(v) < 1e7 && Double.doubleToRawLongBits(v) != NEGATIVE_ZERO_BITS) {
      longDigits((long) v);
      ascii(".0");
    } else if (v == Double.POSITIVE_INFINITY) {
      ascii("+Inf");
    } else if (v == Double.NEGATIVE_INFINITY) {
      ascii("-Inf");
    } else {
      ascii(Double.toString(v));
    }
  }

  private static final long NEGATIVE_ZERO_BITS = Double.doubleToRawLongBits(-0.0);

  /** What {@code TextFormat.omWriteTimestamp} writes: seconds, '.', milliseconds as {@code %03d} (for ms >= 0). */
  private void omTimestamp(long timestampMs) {
    ascii(Long.toString(timestampMs / 1000L));
    put('.');
    long ms = timestampMs % 1000;
    if (ms < 100) {
      put('0');
    }
    if (ms < 10) {
      put('0');
    }
    ascii(Long.toString(ms));
  }

  private void longDigits(long v) {
    if (v < 0) {
      put('-');
      v = -v; // |v| < 10^7 here: no overflow
    }
    int digits = 1;
    for (long p = 10; p <= v; p *= 10) {
      digits++;
    }
    ensure(digits);
    for (int i = count + digits - 1; i >= count; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    count += digits;
  }

  /** A string known to be ASCII (constants, formatted numbers). */
  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[count++] = (byte) s.charAt(i);
    }
  }

  /** Any string, UTF-8, unescaped (metric and label names, which TextFormat does not escape either). */
  private void utf8(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[count++] = (byte) c;
      } else {
        i = nonAscii(s, i);
      }
    }
  }

  /**
   * A label value (and OpenMetrics help) escapes backslash, double quote and newline; 0.0.4 help escapes only
   * backslash and newline ({@code quote} false).
   */
  private void escaped(String s, boolean quote) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        i = nonAscii(s, i);
      } else if (c == '\\') {
        ensure(2 + n - i);
        buf[count++] = '\\';
        buf[count++] = '\\';
      } else if (c == '\n') {
        ensure(2 + n - i);
        buf[count++] = '\\';
        buf[count++] = 'n';
      } else if (c == '"' && quote) {
        ensure(2 + n - i);
        buf[count++] = '\\';
        buf[count++] = '"';
      } else {
        buf[count++] = (byte) c;
      }
    }
  }

  /**
   * Encodes the non-ASCII char at {@code i} (a surrogate pair as one code point) and keeps room for the rest of
   * the string; returns the index of the last char consumed.
   */
  private int nonAscii(String s, int i) {
    ensure(4 + s.length() - i);
    char c = s.charAt(i);
    if (c < 0x800) {
      buf[count++] = (byte) (0xC0 | (c >> 6));
      buf[count++] = (byte) (0x80 | (c & 0x3F));
    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
      int cp = Character.toCodePoint(c, s.charAt(i + 1));
      buf[count++] = (byte) (0xF0 | (cp >> 18));
      buf[count++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      buf[count++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      buf[count++] = (byte) (0x80 | (cp & 0x3F));
      return i + 1;
    } else if (Character.isSurrogate(c)) {
      buf[count++] = '?'; // unpaired, as the JDK's encoder replaces it
    } else {
      buf[count++] = (byte) (0xE0 | (c >> 12));
      buf[count++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      buf[count++] = (byte) (0x80 | (c & 0x3F));
    }
    return i;
  }

  private void put(char ascii) {
    if (count == buf.length) {
      ensure(1);
    }
    buf[count++] = (byte) ascii;
  }

  private void ensure(int more) {
    if (count + more > buf.length) {
      if (sink != null && !holding) {
        flush();
        if (more <= buf.length) {
          return;
        }
      }
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
    }
  }

  private void flush() {
    try {
      sink.write(buf, 0, count);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    count = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, count);
  }

  private static String typeString(Collector.Type t) {
    switch (t) {
      case GAUGE:
      case STATE_SET:
      case INFO:
        return "gauge";
      case COUNTER:
        return "counter";
      case SUMMARY:
        return "summary";
      case HISTOGRAM:
      case GAUGE_HISTOGRAM:
        return "histogram";
      default:
        return "untyped";
    }
  }

  private static String omTypeString(Collector.Type t) {
    switch (t) {
      case GAUGE:
        return "gauge";
      case COUNTER:
        return "counter";
      case SUMMARY:
        return "summary";
      case HISTOGRAM:
        return "histogram";
      case GAUGE_HISTOGRAM:
        return "gaugehistogram";
      case STATE_SET:
        return "stateset";
      case INFO:
        return "info";
      default:
        return "unknown";
    }
  }
}
