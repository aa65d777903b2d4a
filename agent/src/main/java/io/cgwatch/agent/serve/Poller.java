package io.cgwatch.agent.serve;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.alert.AlertEngine;
import io.cgwatch.agent.alert.AlertSink;
import io.cgwatch.agent.alert.EvalInput;
import io.cgwatch.agent.host.OshiHostInfo;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.json.JsonReportRenderer;
import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.exporters.prometheus.Exposition;
import io.cgwatch.exporters.prometheus.PrometheusRenderer;
import io.cgwatch.exporters.prometheus.SelfStats;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scans on its own timer and publishes one immutable {@link Published} per scan. A deliberate departure from
 * "collect at scrape time": lifecycle tracking needs observations between scrapes, and a large tree is not cheap
 * to read, so scrapes only copy the bytes rendered here. One thread with a fixed delay: scans never overlap.
 */
public final class Poller implements AutoCloseable {
  private final Clock clock;
  private final HostRoots roots;
  private final ScanOptions scanOptions;
  private final ExportOptions exportOptions;
  private final Analyzer analyzer;
  private final Duration interval;
  private final String version;
  private final JsonLog log;
  private final TimedControlFiles files;
  private final CgroupScanner scanner;
  private final RootStatThrottle throttle;
  private final AtomicReference<Published> latest = new AtomicReference<>();
  /** Exposition variants requested since the last publication (written by the HTTP threads). */
  private final Set<Exposition.Variant> scraped = ConcurrentHashMap.newKeySet();
  private final AlertEngine alerts;
  private final List<AlertSink> sinks;
  private final Instant startedAt;
  private final java.util.function.Supplier<List<io.prometheus.client.Collector.MetricFamilySamples>> runtime;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cgwatch-poller");
    t.setDaemon(true);
    return t;
  });

  // Accumulated by the poller thread only.
  private final Histogram scanDuration = new Histogram(Histogram.SCAN_BOUNDS);
  private final Map<String, Histogram> fileReads = new HashMap<>();
  private final Map<String, Map<String, Long>> errors = new TreeMap<>();
  private final Map<String, Long> loggedErrors = new HashMap<>();
  private long scansSucceeded;
  private long scansFailed;
  private long vanished;
  private long lastScanCgroups;
  private OptionalDouble rootMemoryStatSeconds = OptionalDouble.empty();
  private Optional<Instant> lastSuccess = Optional.empty();
  private Optional<Analysis> lastAnalysis = Optional.empty();
  private HostInfo oshi;
  private volatile Duration lastCycle = Duration.ZERO; // written by the poller thread, read by scrapes
  /** Why scans are failing, while they are; logged when it starts or changes, not at every scan. */
  private String failingBecause;
  private long failedInARow;

  /** The default of {@code --scan-timeout}: far above a 250,000-cgroup scan (about 40 s on a loaded 2-core VM). */
  public static final Duration DEFAULT_SCAN_TIMEOUT = Duration.ofSeconds(60);

  private final ScanDeadline deadline;
  /** When a scan last returned (usable or not; abandoned ones do not count), or the start; read by /healthz. */
  private volatile Instant lastCompleted;

  public Poller(Clock clock, HostRoots roots, ScanOptions scanOptions, ExportOptions exportOptions,
      Analyzer analyzer, AlertEngine alerts, List<AlertSink> sinks, Duration interval, Duration rootStatBudget,
      String version, JsonLog log) {
    this(clock, roots, scanOptions, exportOptions, analyzer, alerts, sinks, interval, rootStatBudget,
        DEFAULT_SCAN_TIMEOUT, version, log, Histogram.FILE_READ_BOUNDS, List::of);
  }

  /**
   * @param scanTimeout how long a scan's reads may take before the scan is abandoned ({@link ScanDeadline})
   * @param fileReadBounds buckets of cgwatch_file_read_duration_seconds
   * @param runtime the process and JVM families, collected at each publication
   */
  public Poller(Clock clock, HostRoots roots, ScanOptions scanOptions, ExportOptions exportOptions,
      Analyzer analyzer, AlertEngine alerts, List<AlertSink> sinks, Duration interval, Duration rootStatBudget,
      Duration scanTimeout, String version, JsonLog log, List<Double> fileReadBounds,
      java.util.function.Supplier<List<io.prometheus.client.Collector.MetricFamilySamples>> runtime) {
    this.runtime = runtime;
    this.deadline = new ScanDeadline(scanTimeout);
    this.lastCompleted = clock.instant();
    this.alerts = alerts;
    this.sinks = List.copyOf(sinks);
    this.startedAt = clock.instant();
    this.clock = clock;
    this.roots = roots;
    this.scanOptions = scanOptions;
    this.exportOptions = exportOptions;
    this.analyzer = analyzer;
    this.interval = interval;
    this.version = version;
    this.log = log;
    this.files = new TimedControlFiles(deadline.files(new NioControlFiles()), (file, seconds) -> {
      if (!deadline.isAbandoned(Thread.currentThread())) { // a stuck read returning late is not this scan's
        fileReads.computeIfAbsent(file, f -> new Histogram(fileReadBounds)).observe(seconds);
      }
    });
    this.scanner = new CgroupScanner(files);
    this.throttle = new RootStatThrottle(rootStatBudget);
    publish();
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::pollOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The latest publication; never null. */
  Published latest() {
    return latest.get();
  }

  /**
   * Series older than this are dropped and {@code cgwatch_up} is 0: three scan periods, a period being the interval
   * plus the last scan's own time (scan, analysis, rendering). The scan's time counts because the timer waits the
   * interval after a scan ends; on a host where scans are slower than the interval (a slow or huge tree, an
   * emulated CPU) three bare intervals would call every healthy publication stale.
   */
  Duration maxAge() {
    return interval.plus(lastCycle).multipliedBy(3);
  }

  /**
   * One scan, analysis and publication. Never throws: a failed scan is counted, logged, and the old data ages.
   * Synchronized so that scans never overlap, whether the timer or {@link Serve#pollNow} asks for them.
   */
  synchronized void pollOnce() {
    long start = System.nanoTime();
    Instant cycleStart = clock.instant(); // the clock, not nanoTime: staleness is judged on the clock's time
    try {
      files.startScan();
      ScanOptions options = scanOptions.withReadRootMemoryStat(throttle.shouldRead());
      HostSnapshot s = deadline.run(() -> scanner.scan(roots, options, clock));
      lastCompleted = clock.instant();
      unusable(s).ifPresent(why -> {
        throw new ScanUnusableException(why);
      });
      if (roots.isLiveHost()) {
        oshi = oshi != null ? oshi : OshiHostInfo.read(s.host());
        s = s.withHost(oshi);
      }
      Analysis a = analyzer.analyze(s);
      scansSucceeded++;
      vanished += s.scan().vanished();
      lastScanCgroups = s.scan().cgroupsRead();
      for (ScanError e : s.scan().errors()) {
        errors.computeIfAbsent(e.file().isEmpty() ? "(directory)" : e.file(), f -> new TreeMap<>())
            .merge(e.kind().label(), 1L, Long::sum);
        logFirst(e);
      }
      if (files.rootMemoryStatSeconds() >= 0) {
        rootMemoryStatSeconds = OptionalDouble.of(files.rootMemoryStatSeconds());
      }
      if (throttle.record(files.rootMemoryStatSeconds())) {
        log.warn(throttle.throttled() ? "root memory.stat is slow: reading it every "
            + RootStatThrottle.EVERY_NTH_SCAN + "th scan only" : "root memory.stat is fast again: reading it every scan",
            Map.of("seconds", files.rootMemoryStatSeconds(), "budget_seconds", throttle.budgetSeconds()));
      }
      if (lastAnalysis.isEmpty()) {
        logFirstScan(s);
      }
      lastAnalysis = Optional.of(a);
      lastSuccess = Optional.of(clock.instant());
      if (failingBecause != null) {
        log.info("scans recovered", Map.of("failed_scans", failedInARow));
        failingBecause = null;
        failedInARow = 0;
      }
    } catch (RuntimeException | Error e) { // an Error too: one escaping would cancel the timer, and scans would stop
      scansFailed++;
      failedInARow++;
      if (e instanceof ScanDeadline.ScanTimeoutException t) {
        errors.computeIfAbsent(t.file().isEmpty() ? "(scan)" : t.file(), f -> new TreeMap<>())
            .merge(io.cgwatch.model.ScanError.Kind.TIMEOUT.label(), 1L, Long::sum);
      }
      String why = e instanceof ScanUnusableException ? e.getMessage() : String.valueOf(e);
      if (!why.equals(failingBecause)) { // once per cause: a host root gone for an hour is one line, not 240
        log.error("scan failed", Map.of("error", why));
        failingBecause = why;
      }
    } finally {
      scanDuration.observe((System.nanoTime() - start) / 1e9);
      evaluateAlerts(); // also after a failed scan: that is how ScanFailing fires
      publish();
      lastCycle = Duration.between(cycleStart, clock.instant());
    }
  }

  /**
   * A scan that read no cgroup hierarchy at all (the host root or its mountinfo is gone or unreadable, the cgroup
   * mount was replaced by something empty) is a failed scan: publishing it would export an empty host as healthy.
   */
  static Optional<String> unusable(HostSnapshot s) {
    if (s.hierarchies().stream().anyMatch(h -> h.liveCgroups() > 0)) {
      return Optional.empty();
    }
    String first = s.scan().errors().stream().findFirst()
        .map(e -> ": " + e.path() + (e.file().isEmpty() ? "" : "/" + e.file()) + " " + e.message()).orElse("");
    return Optional.of((s.hierarchies().isEmpty() ? "no cgroup hierarchy found" : "no cgroup hierarchy could be read")
        + first);
  }

  /**
   * How long {@code /healthz} tolerates no scan returning: the interval plus twice the scan timeout, so one scan
   * abandoned at its deadline is not enough, and two in a row (or scans held back by stuck threads) are.
   */
  Duration healthBound() {
    return interval.plus(deadline.timeout().multipliedBy(2));
  }

  /**
   * The one health check ({@code /healthz}; for issue 18's {@code /-/healthy} too): empty when healthy, else why not.
   * Unhealthy when no scan returned within {@link #healthBound()}, or when {@link ScanDeadline#MAX_STUCK_THREADS}
   * scan threads are stuck. A failed scan that returned counts as alive: the host may be broken, the agent is not.
   */
  public Optional<String> healthProblem(Instant now) {
    int stuck = deadline.stuckThreads();
    if (stuck >= ScanDeadline.MAX_STUCK_THREADS) {
      return Optional.of(stuck + " scan threads are stuck in reads (e.g. "
          + deadline.anyStuckFile().map(String::valueOf).orElse("unknown") + ")");
    }
    Duration since = Duration.between(lastCompleted, now);
    if (since.compareTo(healthBound()) > 0) {
      return Optional.of("no scan returned for " + since.toMillis() + " ms (bound " + healthBound().toMillis()
          + " ms: the interval plus twice the scan timeout)");
    }
    return Optional.empty();
  }

  /** A scan that completed but read nothing usable. */
  static final class ScanUnusableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScanUnusableException(String message) {
      super(message, null, false, false);
    }
  }

  private void evaluateAlerts() {
    try {
      AlertEngine.Result r = alerts.evaluate(new EvalInput(lastAnalysis, lastSuccess, startedAt, interval,
          rootMemoryStatSeconds), false);
      lastAnalysis = lastAnalysis.map(a -> a.withAlerts(r.active()));
      for (AlertSink sink : sinks) {
        sink.deliver(r.active(), r.changes());
      }
    } catch (RuntimeException e) {
      log.error("alert evaluation failed", Map.of("error", String.valueOf(e)));
    }
  }

  /** The start-up summary, completed with what only a scan knows: mode, hierarchies, capabilities. */
  private void logFirstScan(HostSnapshot s) {
    Map<String, Object> f = new java.util.LinkedHashMap<>();
    f.put("kernel_release", s.host().kernelRelease().orElse(null));
    f.put("cgroup_mode", s.mode().label());
    f.put("hierarchies", s.hierarchies().stream().map(h -> h.name() + " v" + h.version() + " at " + h.mountPoint()
        + (h.fullView() ? "" : " (partial view)")).toList());
    f.put("dying_memory_cgroups", s.dyingMemoryCgroups().count().isPresent()
        ? s.dyingMemoryCgroups().count().getAsLong() : null);
    f.put("dying_method", s.dyingMemoryCgroups().method().map(m -> m.label()).orElse(null));
    io.cgwatch.model.Capabilities c = s.capabilities();
    Map<String, Object> caps = new java.util.LinkedHashMap<>();
    caps.put("nr_dying_subsys", c.nrDyingSubsys());
    caps.put("psi", c.psi());
    caps.put("memory_peak", c.memoryPeak());
    caps.put("memory_reclaim", c.memoryReclaim());
    caps.put("memory_events_local", c.memoryEventsLocal());
    caps.put("full_view", c.fullView());
    caps.put("reparents_page_cache", c.reparentsPageCache().orElse(null));
    caps.put("dying_keep_memcg_ids", c.dyingKeepMemcgIds().orElse(null));
    caps.put("kernel_cgroup_parameters", c.kernelCgroupParameters());
    f.put("capabilities", caps);
    f.put("cgroups_read", s.scan().cgroupsRead());
    f.put("scan_seconds", s.scan().duration().toNanos() / 1e9);
    log.info("first scan done", f);
  }

  /** Logs the first error of each file and kind, and then stays quiet: they are counted in the metrics. */
  private void logFirst(ScanError e) {
    if (loggedErrors.merge(e.file() + "\0" + e.kind().label(), 1L, Long::sum) == 1) {
      log.warn("cannot use a control file (further ones of this kind are only counted)", Map.of("path", e.path(),
          "file", e.file(), "kind", e.kind().label(), "error", e.message()));
    }
  }

  private void publish() {
    Map<String, io.cgwatch.exporters.prometheus.HistogramSnapshot> reads = new HashMap<>();
    fileReads.forEach((f, h) -> reads.put(f, h.snapshot()));
    SelfStats self = new SelfStats(version, scansSucceeded, scansFailed, scanDuration.snapshot(), vanished, errors,
        reads, rootMemoryStatSeconds, throttle.throttled(), lastSuccess.map(t -> OptionalDouble.of(t.toEpochMilli() / 1000.0))
            .orElse(OptionalDouble.empty()), lastScanCgroups, deliveries(), interval.toMillis() / 1000.0);
    // Render now what was scraped since the last publication (Prometheus' OpenMetrics+gzip before any scrape),
    // the rest on first request: a scrape in steady state still only copies bytes made here.
    Set<Exposition.Variant> eager = EnumSet.of(Exposition.Variant.OPENMETRICS_GZIP);
    for (Exposition.Variant v : Exposition.Variant.values()) {
      if (scraped.remove(v)) {
        eager.add(v);
      }
    }
    Optional<Analysis> analysis = lastAnalysis;
    List<io.prometheus.client.Collector.MetricFamilySamples> process = runtime.get(); // once: the suppliers are pure
    Exposition fresh = Exposition.of(() -> withRuntime(PrometheusRenderer.families(analysis, self, exportOptions),
        process), eager, scraped::add);
    Exposition stale = Exposition.of(() -> withRuntime(PrometheusRenderer.families(Optional.empty(), self,
        exportOptions), process), eager, scraped::add);
    // The JSON document is made on its first request only: few ask for it, and it was a tenth of each scan's CPU.
    latest.set(new Published(analysis, lastSuccess, fresh, stale, analysis.map(a -> new Memo<>(() -> json(a)))));
  }

  private static List<io.prometheus.client.Collector.MetricFamilySamples> withRuntime(
      List<io.prometheus.client.Collector.MetricFamilySamples> cgwatch,
      List<io.prometheus.client.Collector.MetricFamilySamples> process) {
    if (process.isEmpty()) {
      return cgwatch;
    }
    List<io.prometheus.client.Collector.MetricFamilySamples> all = new java.util.ArrayList<>(cgwatch);
    all.addAll(process);
    return all;
  }

  private Map<String, Long> deliveries() {
    Map<String, Long> out = new TreeMap<>();
    sinks.forEach(sink -> sink.deliveries().forEach((k, v) -> out.merge(k, v, Long::sum)));
    return out;
  }

  private static byte[] json(Analysis a) {
    StringWriter w = new StringWriter();
    try {
      JsonReportRenderer.render(a, w);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    // shutdown, not shutdownNow: a running scan finishes (reads go through interruptible channels, and an
    // interrupt would turn the rest of the scan into errors); only a scan still running after 5 s is interrupted.
    timer.shutdown();
    deadline.close();
    try {
      if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
