package io.cgwatch.agent.serve;

import io.cgwatch.agent.alert.RuleOverride;
import io.cgwatch.cgroupfs.HostRoots;
import java.net.URI;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code cgwatch serve} runs with, after flags and the config file are merged.
 *
 * @param maxOwners how many owners get {@code cgwatch_owner_*} series (the rest are summed as {@code other})
 * @param watch run the inotify watcher ({@code CgroupWatcher}) beside the scans: births, populated-0 charges and
 *     removals between two scans
 */
public record ServeSettings(InetSocketAddress listen, Duration interval, HostRoots roots, int maxDepth,
    List<String> include, List<String> exclude, int maxCgroups, Duration rootMemoryStatBudget,
    Duration leakThreshold, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile,
    Map<String, String> basicAuthUsers, Map<String, RuleOverride> alertRules, List<URI> alertmanagers,
    Optional<TlsSettings> tls, boolean detailedReadLatency, Duration scanTimeout, int maxOwners, boolean watch,
    int slowTierEvery) {

  /** Read the slow tier (limits, PSI, pids, events) every 4th scan: once a minute at the default 15 s. */
  public static final int DEFAULT_SLOW_TIER_EVERY = 4;

  /**
   * With the default number of owner series ({@code ExportOptions.DEFAULT_MAX_OWNERS}), without the inotify
   * watcher (polling only; {@code cgwatch serve} runs one unless {@code --no-watch}), and the default slow-tier
   * period, {@link #DEFAULT_SLOW_TIER_EVERY}.
   */
  public ServeSettings(InetSocketAddress listen, Duration interval, HostRoots roots, int maxDepth,
      List<String> include, List<String> exclude, int maxCgroups, Duration rootMemoryStatBudget,
      Duration leakThreshold, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile,
      Map<String, String> basicAuthUsers, Map<String, RuleOverride> alertRules, List<URI> alertmanagers,
      Optional<TlsSettings> tls, boolean detailedReadLatency, Duration scanTimeout) {
    this(listen, interval, roots, maxDepth, include, exclude, maxCgroups, rootMemoryStatBudget, leakThreshold,
        tlsCertFile, tlsKeyFile, basicAuthUsers, alertRules, alertmanagers, tls, detailedReadLatency, scanTimeout,
        io.cgwatch.exporters.prometheus.ExportOptions.DEFAULT_MAX_OWNERS, false, DEFAULT_SLOW_TIER_EVERY);
  }

  /** The same settings with the watcher on or off. */
  public ServeSettings withWatch(boolean on) {
    return new ServeSettings(listen, interval, roots, maxDepth, include, exclude, maxCgroups, rootMemoryStatBudget,
        leakThreshold, tlsCertFile, tlsKeyFile, basicAuthUsers, alertRules, alertmanagers, tls, detailedReadLatency,
        scanTimeout, maxOwners, on, slowTierEvery);
  }

  /** Without a scan timeout: the default, {@link Poller#DEFAULT_SCAN_TIMEOUT}. */
  public ServeSettings(InetSocketAddress listen, Duration interval, HostRoots roots, int maxDepth,
      List<String> include, List<String> exclude, int maxCgroups, Duration rootMemoryStatBudget,
      Duration leakThreshold, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile,
      Map<String, String> basicAuthUsers, Map<String, RuleOverride> alertRules, List<URI> alertmanagers,
      Optional<TlsSettings> tls, boolean detailedReadLatency) {
    this(listen, interval, roots, maxDepth, include, exclude, maxCgroups, rootMemoryStatBudget, leakThreshold,
        tlsCertFile, tlsKeyFile, basicAuthUsers, alertRules, alertmanagers, tls, detailedReadLatency,
        Poller.DEFAULT_SCAN_TIMEOUT);
  }

  /** Without a web config file or a scan timeout: TLS, if any, from the PEM pair with exporter-toolkit's defaults. */
  public ServeSettings(InetSocketAddress listen, Duration interval, HostRoots roots, int maxDepth,
      List<String> include, List<String> exclude, int maxCgroups, Duration rootMemoryStatBudget,
      Duration leakThreshold, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile,
      Map<String, String> basicAuthUsers, Map<String, RuleOverride> alertRules, List<URI> alertmanagers) {
    this(listen, interval, roots, maxDepth, include, exclude, maxCgroups, rootMemoryStatBudget, leakThreshold,
        tlsCertFile, tlsKeyFile, basicAuthUsers, alertRules, alertmanagers, Optional.empty(), false,
        Poller.DEFAULT_SCAN_TIMEOUT);
  }

  public ServeSettings {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    basicAuthUsers = Map.copyOf(basicAuthUsers);
    alertRules = Map.copyOf(alertRules);
    alertmanagers = List.copyOf(alertmanagers);
    if (maxOwners < 0) {
      throw new IllegalArgumentException("max owners must be 0 or more, got " + maxOwners);
    }
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (slowTierEvery < 1) {
      throw new IllegalArgumentException("--slow-tier-every must be 1 or more, got " + slowTierEvery);
    }
    if (scanTimeout.isZero() || scanTimeout.isNegative()) {
      throw new IllegalArgumentException("scan timeout must be positive, got " + scanTimeout);
    }
    if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
      throw new IllegalArgumentException("TLS needs both tls.cert_file and tls.key_file");
    }
    if (tls.isEmpty() && tlsCertFile.isPresent()) {
      tls = Optional.of(TlsSettings.of(tlsCertFile.get(), tlsKeyFile.get()));
    }
  }
}
