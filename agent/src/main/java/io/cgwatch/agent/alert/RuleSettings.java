package io.cgwatch.agent.alert;

import java.time.Duration;

/**
 * How one rule behaves. It becomes pending when its value goes above {@code threshold}, fires once that has
 * held for {@code forDuration}, and resolves only when the value falls below {@code clear} (hysteresis, so a value
 * hovering at the threshold does not flap).
 */
public record RuleSettings(boolean enabled, double threshold, double clear, Duration forDuration, String severity) {
  public RuleSettings {
    if (!severity.equals("warning") && !severity.equals("critical")) {
      throw new IllegalArgumentException("severity must be warning or critical, got " + severity);
    }
    if (forDuration.isNegative()) {
      throw new IllegalArgumentException("for must not be negative");
    }
    if (clear > threshold) {
      throw new IllegalArgumentException("clear (" + clear + ") must not be above threshold (" + threshold + ")");
    }
  }

  /** Overrides from the config file ({@code alerts.rules.<Name>}); null keeps the default. */
  public RuleSettings with(Boolean enabled, Double threshold, Double clear, Duration forDuration, String severity) {
    double t = threshold != null ? threshold : this.threshold;
    // A threshold given without a clear value moves the clear value with it, in the same proportion.
    double c = clear != null ? clear : threshold != null ? t * (this.clear / this.threshold) : this.clear;
    return new RuleSettings(enabled != null ? enabled : this.enabled, t, c,
        forDuration != null ? forDuration : this.forDuration, severity != null ? severity : this.severity);
  }
}
