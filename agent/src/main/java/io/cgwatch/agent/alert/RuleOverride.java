package io.cgwatch.agent.alert;

import java.time.Duration;

/** {@code alerts.rules.<Name>} in the config file; every key optional. */
public record RuleOverride(Boolean enabled, Double threshold, Double clear, Duration forDuration, String severity) {}
