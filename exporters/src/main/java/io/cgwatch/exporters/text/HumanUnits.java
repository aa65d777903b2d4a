package io.cgwatch.exporters.text;

import java.time.Duration;
import java.util.Locale;

/** Numbers for people: IEC bytes and short durations. Locale-independent so output is stable. */
public final class HumanUnits {
  private static final String[] IEC = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private HumanUnits() {}

  /** 52473856 → "50.0 MiB"; below 1 KiB the exact byte count. */
  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    int unit = 0;
    while (v >= 1024 && unit < IEC.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, IEC[unit]);
  }

  /** An age or idle time: "42s", "17m", "3.2h", "4.1d". */
  public static String age(Duration d) {
    long s = d.getSeconds();
    if (s < 120) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m";
    }
    if (s < 172800) {
      return String.format(Locale.ROOT, "%.1fh", s / 3600.0);
    }
    return String.format(Locale.ROOT, "%.1fd", s / 86400.0);
  }

  /** 0.0081 s → "8.1 ms"; 2.5 s → "2.50 s". */
  public static String duration(Duration d) {
    double seconds = d.toNanos() / 1e9;
    if (seconds < 1) {
      return String.format(Locale.ROOT, "%.1f ms", seconds * 1000);
    }
    return String.format(Locale.ROOT, "%.2f s", seconds);
  }
}
