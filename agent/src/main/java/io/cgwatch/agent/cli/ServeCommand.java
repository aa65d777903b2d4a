package io.cgwatch.agent.cli;

import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.agent.units.DurationConverter;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.exporters.prometheus.ExportOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** The Prometheus scrape target. Wiring only: settings → {@link Serve}; waits for SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Scans on a timer and serves /metrics (Prometheus), /api/v1/snapshot (JSON), /healthz "
        + "(/-/healthy) and /readyz (/-/ready). Flags override the same keys in --config.")
final class ServeCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML config file; its keys: man cgwatch.yml (docs/config.md).")
  Path config;

  @Option(names = {"--web.listen-address", "--listen"}, paramLabel = "[HOST]:PORT",
      description = "Address to listen on. Default: :9756.")
  String listen;

  @Option(names = "--web.config.file", paramLabel = "FILE", description = "TLS and basic auth in the web config "
      + "format of Prometheus' exporter-toolkit (tls_server_config, basic_auth_users), as node_exporter takes it.")
  Path webConfigFile;

  @Option(names = "--full-read-latency", description = "Export cgwatch_file_read_duration_seconds with 16 buckets "
      + "(100 µs to 10 s) instead of 5 (1 ms to 1 s): 19 series per file name instead of 7.")
  Boolean fullReadLatency;

  @Option(names = "--no-watch", description = "Do not watch the memory hierarchy with inotify: polling only. "
      + "Cgroups born and removed between two scans are then only counted (unknown origin), not named.")
  boolean noWatch;

  @Option(names = "--interval", paramLabel = "DURATION", description = "Time between scans. Default: 15s.")
  String interval;

  @Mixin
  HostRootOptions host = new HostRootOptions();

  @Option(names = "--max-depth", paramLabel = "N",
      description = "Read and export cgroups at most N levels deep; lifecycle is summed per ancestor at this "
          + "depth. Default: 3.")
  Integer maxDepth;

  @Option(names = "--include", paramLabel = "GLOB", description = "Export only cgroups whose path matches "
      + "(* within a level, ** across levels). Repeatable.")
  List<String> include;

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Do not export cgroups whose path matches. "
      + "Repeatable.")
  List<String> exclude;

  @Option(names = "--max-cgroups", paramLabel = "N", description = "At most N cgroups get per-cgroup series; "
      + "the ones with most dying descendants and orphaned bytes are kept. Default: 2000.")
  Integer maxCgroups;

  @Option(names = "--max-owners", paramLabel = "N", description = "At most N owners (pods, containers, units) get "
      + "cgwatch_owner_* series, those with the most dying cgroups; the rest are summed into kind=\"other\". "
      + "Default: 20.")
  Integer maxOwners;

  @Option(names = "--root-memory-stat-budget", paramLabel = "DURATION", description = "When reading the root "
      + "memory.stat takes longer, read it only every 10th scan. Default: 100ms.")
  String rootMemoryStatBudget;

  @Option(names = "--slow-tier-every", paramLabel = "N", description = "Read limits, peaks, memory.events, PSI "
      + "and pids every Nth scan, repeating their last values in between (what dying, orphan and lifecycle views "
      + "and alerts need is read every scan). 1: every scan. Default: 4.")
  Integer slowTierEvery;

  @Option(names = "--alertmanager-url", paramLabel = "URL", description = "Send alerts to this Alertmanager "
      + "(its API v2). Repeatable.")
  List<String> alertmanagerUrls;

  @Option(names = "--leak-threshold", paramLabel = "DURATION",
      description = "An empty, childless cgroup idle this long is a visible leak. Default: 1h.")
  String leakThreshold;

  @Option(names = "--scan-timeout", paramLabel = "DURATION", description = "Abandon a scan whose reads have not "
      + "returned after this long (a FIFO, a hung filesystem); /healthz fails when none returned for the interval "
      + "plus twice this. Default: 60s.")
  String scanTimeout;

  ServeCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    JsonLog log = new JsonLog(System.err, clock);
    ServeSettings settings = settings(); // a problem: one line and a JSON log line, exit 3 (CliErrors)
    java.util.concurrent.BlockingQueue<String> signals = new java.util.concurrent.LinkedBlockingQueue<>();
    // SIGTERM: stop accepting, finish the requests in flight, exit 0 (a JVM killed by a signal would exit 143).
    Signal.handle(new Signal("TERM"), s -> signals.add("TERM"));
    Signal.handle(new Signal("INT"), s -> signals.add("INT"));
    // SIGHUP: reload (by default the JVM would exit 129 without a word). See ServeReload.
    Signal.handle(new Signal("HUP"), s -> signals.add("HUP"));
    new ServeReload(this::settings, clock, log).run(settings, signals);
    return 0;
  }

  /** Flags win over the config file, which wins over the defaults. */
  ServeSettings settings() {
    ServeConfig c;
    try {
      c = config == null ? ServeConfig.EMPTY : ServeConfig.load(config);
    } catch (java.io.IOException e) {
      throw new ParameterException(spec.commandLine(), "--config " + ConfigErrors.describe(config, e));
    }
    try {
      HostRoots roots = host.roots(path(c.hostRoot()), path(c.procRoot()), path(c.cgroupRoot()));
      if (!Files.isDirectory(roots.hostRoot())) {
        throw new ParameterException(spec.commandLine(), "--host-root " + roots.hostRoot() + ": not a directory");
      }
      WebSecurity web = WebSecurity.resolve(first(webConfigFile, path(c.webConfigFile())), c);
      // Rule names and values are checked now, so a typo is a usage error and not a log line every scan.
      new io.cgwatch.agent.alert.AlertEngine(clock, c.ruleOverrides()).settings(io.cgwatch.model.HostInfo.UNKNOWN);
      return new ServeSettings(
          ListenAddress.parse(first(listen, c.listen(), ":9756")),
          DurationConverter.parse("--interval", first(interval, c.interval(), "15s")),
          roots,
          nonNegative("--max-depth", first(maxDepth, c.maxDepth(), 3)),
          first(include, c.include(), List.of()),
          first(exclude, c.exclude(), List.of()),
          nonNegative("--max-cgroups", first(maxCgroups, c.maxCgroups(), ExportOptions.DEFAULT_MAX_CGROUPS)),
          DurationConverter.parse("--root-memory-stat-budget", first(rootMemoryStatBudget, c.rootMemoryStatBudget(), "100ms")),
          DurationConverter.parse("--leak-threshold", first(leakThreshold, c.leakThreshold(), "1h")),
          Optional.empty(), Optional.empty(), web.users(),
          c.ruleOverrides(),
          first(alertmanagerUrls, c.alerts() == null ? null : c.alerts().alertmanagerUrls(), List.<String>of())
              .stream().map(ServeCommand::alertmanagerUri).toList(),
          web.tls(), first(fullReadLatency, c.fullReadLatency(), false),
          DurationConverter.parse("--scan-timeout", first(scanTimeout, c.scanTimeout(), "60s")),
          nonNegative("--max-owners", first(maxOwners, c.maxOwners(), ExportOptions.DEFAULT_MAX_OWNERS)),
          !noWatch && first(c.watch(), true),
          first(slowTierEvery, c.slowTierEvery(), ServeSettings.DEFAULT_SLOW_TIER_EVERY));
    } catch (IllegalArgumentException | picocli.CommandLine.TypeConversionException e) {
      // Values from the config file are converted here, not by picocli: make them usage errors too (exit 2).
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static java.net.URI alertmanagerUri(String url) {
    java.net.URI uri = java.net.URI.create(url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("--alertmanager-url " + url + ": expected http:// or https://");
    }
    return uri;
  }

  private int nonNegative(String flag, int value) {
    if (value < 0) {
      throw new ParameterException(spec.commandLine(), flag + " must be 0 or more, got " + value);
    }
    return value;
  }

  private static Path path(String s) {
    return s == null ? null : Path.of(s);
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

}
