package io.cgwatch.agent.serve;

import io.prometheus.client.exporter.common.TextFormat;
import java.util.Locale;

/**
 * {@code Accept} and {@code Accept-Encoding} with their q-values (RFC 9110 §12.4.2): a type or coding with
 * {@code q=0} is "not acceptable", which a substring test ("contains openmetrics", "contains gzip") got backwards.
 * Pure.
 */
final class ContentNegotiation {
  private ContentNegotiation() {}

  /**
   * OpenMetrics when it is named (a wildcard alone, as curl's {@code *}/{@code *}, keeps text), with a q above 0,
   * and preferred at least as much as text; else text 0.0.4.
   */
  static String contentType(String accept) {
    double om = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
        ? quality(accept, "application/openmetrics-text", true) : 0;
    double text = quality(accept, "text/plain", true);
    return om > 0 && om >= text ? TextFormat.CONTENT_TYPE_OPENMETRICS_100 : TextFormat.CONTENT_TYPE_004;
  }

  /** Whether gzip is acceptable with a q-value above 0 (a {@code *} coding counts). */
  static boolean gzip(String acceptEncoding) {
    return quality(acceptEncoding, "gzip", false) > 0;
  }

  /**
   * The q-value {@code header} gives {@code wanted}: its exact entry if listed, else the wildcard's
   * ({@code type/*}, {@code *}/{@code *} for media types, {@code *} for codings), else 0.
   */
  static double quality(String header, String wanted, boolean mediaType) {
    if (header == null) {
      return 0;
    }
    double exact = -1;
    double wildcard = -1;
    String wantedType = mediaType ? wanted.substring(0, wanted.indexOf('/')) : "";
    for (String part : header.split(",")) {
      String[] params = part.split(";");
      String name = params[0].strip().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int i = 1; i < params.length; i++) {
        String p = params[i].strip().toLowerCase(Locale.ROOT);
        if (p.startsWith("q=")) {
          try {
            q = Math.max(0, Math.min(1, Double.parseDouble(p.substring(2).strip())));
          } catch (NumberFormatException e) {
            q = 0; // a q-value that is not a number accepts nothing
          }
        }
      }
      if (name.equals(wanted)) {
        exact = Math.max(exact, q);
      } else if (mediaType ? name.equals("*/*") || name.equals(wantedType + "/*") : name.equals("*")) {
        wildcard = Math.max(wildcard, q);
      }
    }
    return exact >= 0 ? exact : Math.max(0, wildcard);
  }
}
