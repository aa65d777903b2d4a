package io.cgwatch.agent.alert;

import io.cgwatch.model.Analysis;
import java.util.Locale;

/** Numbers and the remedy sentence in alert texts; the remedies themselves are in exporters.text.Remedies. */
final class Remedies {
  private Remedies() {}

  /** The remedy sentence of the one catalogue ({@link io.cgwatch.exporters.text.Remedies#forAlert}). */
  static String forPageCacheAt(Analysis a, String hierarchy, String parent) {
    return io.cgwatch.exporters.text.Remedies.forAlert(a, hierarchy, parent);
  }

  static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }

  static String count(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
