package io.cgwatch.agent.cli;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.alert.AlertEngine;
import io.cgwatch.agent.cycle.Publication;
import io.cgwatch.agent.cycle.ScanCycle;
import io.cgwatch.agent.cycle.Ticker;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.agent.units.DurationConverter;
import io.cgwatch.cgroupfs.CgroupWatcher;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.json.JsonReportRenderer;
import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.exporters.prometheus.Exposition;
import io.cgwatch.exporters.text.TextReportRenderer;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.HostInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** One or more scans, one report. Wiring only: {@link ScanCycle} → renderer → stdout. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Reads the host's cgroup hierarchies and reports how many cgroups are dying, where, what they "
        + "left behind, and (with --samples) which removed cgroups are still dying.")
final class DiagnoseCommand implements Callable<Integer> {
  /** What serve exports by default, every cgroup kept: a one-shot run has no scrape size to protect. */
  static final ExportOptions OPENMETRICS_EXPORT = new ExportOptions(3, List.of(), List.of(), Integer.MAX_VALUE);
  private final Clock clock;
  private final Ticker ticker;

  @Spec
  CommandSpec spec;

  @Mixin
  HostRootOptions host = new HostRootOptions();

  @Option(names = "--max-depth", paramLabel = "N",
      description = "Read files only of cgroups at most N levels below a hierarchy's root (all are still "
          + "counted). Default: no limit.")
  Integer maxDepth;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "1",
      description = "Scan N times, --interval apart; with 2 or more the report adds lifecycle: cgroups created, "
          + "removed, recreated, and zombies with their ages. Default: ${DEFAULT-VALUE}.")
  int samples;

  @Option(names = "--no-watch", description = "With --samples 2 or more: do not watch the memory hierarchy with "
      + "inotify between samples (polling only; cgroups born and removed between two samples are then only "
      + "counted, not named).")
  boolean noWatch;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "Time between samples (100ms, 15s, 5m). Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(names = "--leak-threshold", paramLabel = "DURATION", defaultValue = "1h",
      converter = DurationConverter.class,
      description = "An empty, childless cgroup idle this long is a visible leak. Default: ${DEFAULT-VALUE}.")
  Duration leakThreshold;

  @Option(names = "--json", description = "Print the report as JSON (schema in docs/json-schema.md); the same as "
      + "--format json.")
  boolean json;

  /** Report formats. */
  enum Format { text, json, prometheus, openmetrics }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json (docs/json-schema.md), prometheus (serve's /metrics in the text format 0.0.4, for "
          + "node_exporter's textfile collector) or openmetrics (the same in OpenMetrics). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--no-color", description = "No colour, even on a terminal (NO_COLOR in the environment does the "
      + "same).")
  boolean noColor;

  @Option(names = "--width", paramLabel = "COLUMNS", description = "Fit the text report to this width. Default: "
      + "$COLUMNS, else the terminal's width; no limit when not on a terminal.")
  Integer width;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML file whose alerts.rules tune the built-in "
      + "alerts (the serve config file works; its other keys are ignored here).")
  java.nio.file.Path config;

  DiagnoseCommand(Clock clock, Ticker ticker) {
    this.clock = clock;
    this.ticker = ticker;
  }

  @Option(names = "--allow-incomplete", description = "Read a --host-root capture that cgwatch capture marked "
      + "incomplete, or that has no completion record (killed, disk full), with a warning; without it: exit 3.")
  boolean allowIncomplete;

  @Override
  public Integer call() throws IOException, InterruptedException {
    validate();
    HostRoots roots = host.roots();
    try {
      io.cgwatch.agent.capture.CaptureRecord.require(roots.hostRoot(), roots.hostRoot().toString(), allowIncomplete,
          w -> spec.commandLine().getErr().println(w));
    } catch (io.cgwatch.agent.capture.CaptureRecord.IncompleteException e) {
      spec.commandLine().getErr().println(e.getMessage());
      spec.commandLine().getErr().flush();
      return 3;
    }
    ScanOptions options = new ScanOptions(maxDepth == null ? ScanOptions.UNLIMITED_DEPTH : maxDepth);
    // NIO, not NativeControlFiles: loading JNA costs a cold start ~0.15 s of CPU (measured), far more than the
    // native reads save on one scan of a host's few hundred cgroups; serve, which scans every interval, uses it.
    ControlFiles files = new NioControlFiles();
    ScanCycle cycle = ScanCycle.standalone(clock, ticker, options,
        new Analyzer(clock, TrackerSettings.DEFAULTS, leakThreshold), alertEngine(), true, interval,
        VersionProvider.version());
    Publication p = null;
    Progress progress = Progress.onTerminal(spec.commandLine().getErr());
    // Between samples only: one sample has no lifecycle to see.
    try (CgroupWatcher watcher = samples > 1 && !noWatch ? CgroupWatcher.start(roots, clock, options.maxDepth())
        : null) {
      if (watcher != null) {
        cycle.watching(watcher);
      }
      for (int i = 0; i < samples; i++) {
        if (i > 0) {
          progress.update("sample " + i + " of " + samples + " done; next in " + Progress.duration(interval)
              + " (Ctrl-C to stop)", true);
          Thread.sleep(interval.toMillis());
        }
        p = cycle.run(roots, files);
      }
    }
    progress.close();
    // A scan that threw (not one that read nothing: that is reported as UNKNOWN) has nothing to report.
    Publication last = p;
    Analysis analysis = last.scanned().orElseThrow(() -> new IllegalStateException("scan failed: "
        + last.failure().orElse("")));
    PrintWriter out = spec.commandLine().getOut();
    Format f = json ? Format.json : format;
    switch (f) {
      case json -> JsonReportRenderer.render(analysis, out);
      // serve's exposition of the same publication: the cgwatch_* part of /metrics, byte for byte
      case prometheus -> out.write(Exposition.render(last.families(OPENMETRICS_EXPORT).get()).text());
      case openmetrics -> out.write(Exposition.render(last.families(OPENMETRICS_EXPORT).get()).openMetrics());
      default -> TextReportRenderer.render(analysis, out, Terminal.style(noColor, width));
    }
    out.flush();
    return exitCode(analysis.verdict());
  }

  /** The monitoring-plugin convention (Nagios, Icinga, Sensu): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  static int exitCode(String verdict) {
    return switch (verdict) {
      case "ok" -> 0;
      case "warning" -> 1;
      case "critical" -> 2;
      default -> 3;
    };
  }

  private AlertEngine alertEngine() {
    try {
      ServeConfig c = config == null ? ServeConfig.EMPTY : ServeConfig.load(config);
      AlertEngine engine = new AlertEngine(clock, c.ruleOverrides());
      engine.settings(HostInfo.UNKNOWN); // checks the values now
      return engine;
    } catch (IOException | IllegalArgumentException | picocli.CommandLine.TypeConversionException e) {
      throw new ParameterException(spec.commandLine(), "--config " + (e instanceof IOException
          ? ConfigErrors.describe(config, e) : config + ": " + e.getMessage()));
    }
  }

  private void validate() {
    if (maxDepth != null && maxDepth < 0) {
      throw new ParameterException(spec.commandLine(), "--max-depth must be 0 or more, got " + maxDepth);
    }
    if (samples < 1) {
      throw new ParameterException(spec.commandLine(), "--samples must be 1 or more, got " + samples);
    }
    if (!Files.isDirectory(host.roots().hostRoot())) {
      throw new ParameterException(spec.commandLine(), "--host-root " + host.roots().hostRoot()
          + ": not a directory");
    }
  }

}
