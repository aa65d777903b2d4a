package io.cgwatch.agent.serve;

import io.cgwatch.agent.cycle.Publication;
import io.cgwatch.agent.cycle.RootStatThrottle;
import io.cgwatch.agent.cycle.ScanCycle;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.nativeio.NativeControlFiles;
import io.cgwatch.cgroupfs.CgroupEventSource;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.exporters.json.JsonReportRenderer;
import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.exporters.prometheus.Exposition;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs the {@link ScanCycle} on its own timer and publishes one immutable {@link Published} per scan. A deliberate
 * departure from "collect at scrape time": lifecycle tracking needs observations between scrapes, and a large tree
 * is not cheap to read, so scrapes only copy the bytes rendered here. One thread with a fixed delay: scans never
 * overlap. The cycle does the work; this class owns the timer, the log lines and the rendered bytes.
 */
public final class Poller implements AutoCloseable {
  private final Clock clock;
  private final HostRoots roots;
  private final ExportOptions exportOptions;
  private final Duration interval;
  private final JsonLog log;
  /** Native reads (no Path, channel or lstat per file) when JNA loads, else NIO; the same snapshots either way. */
  private final ControlFiles files;
  private final ScanCycle cycle;
  private final AtomicReference<Published> latest = new AtomicReference<>();
  /** Exposition variants requested since the last publication (written by the HTTP threads). */
  private final Set<Exposition.Variant> scraped = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cgwatch-poller");
    t.setDaemon(true);
    return t;
  });

  private final CgroupEventSource watcher;
  /** Serve's guard: scans run under it, and the health check asks it about stuck reads. */
  private final ScanDeadline deadline;
  /** The serve process's own families (process_*, jvm_*), collected at each publication; not the cycle's. */
  private final Supplier<List<MetricFamilySamples>> runtime;

  /** The default of {@code --scan-timeout}: far above a 250,000-cgroup scan (about 40 s on a loaded 2-core VM). */
  public static final Duration DEFAULT_SCAN_TIMEOUT = Duration.ofSeconds(60);

  // Used by the poller thread only.
  /** Scan errors already logged, by file and kind: each is logged once, the rest only counted. */
  private final Map<ErrorCause, Long> loggedErrors = new HashMap<>();

  private record ErrorCause(String file, String kind) {}
  private volatile Duration lastCycle = Duration.ZERO; // written by the poller thread, read by scrapes
  /** Why scans are failing, while they are; logged when it starts or changes, not at every scan. */
  private String failingBecause;
  private long failedInARow;
  /** Whether any exposition was requested yet: until then OpenMetrics+gzip, Prometheus' choice, is made eagerly. */
  private boolean scrapedOnce;

  /**
   * @param cycle made with the poller's events (its log lines come out here) and {@code deadline} as its guard
   * @param deadline the scan deadline the cycle runs under ({@link ScanDeadline}); health looks at its stuck reads
   * @param runtime the process and JVM families, appended to the cycle's at each publication
   */
  Poller(Clock clock, HostRoots roots, ExportOptions exportOptions, Duration interval, JsonLog log,
      ScanDeadline deadline, Supplier<List<MetricFamilySamples>> runtime,
      java.util.function.Function<ScanCycle.Events, ScanCycle> cycle) {
    this(clock, roots, exportOptions, interval, log, deadline, runtime, cycle, CgroupEventSource.NONE);
  }

  /** @param watcher the cycle's event source, closed with the poller */
  Poller(Clock clock, HostRoots roots, ExportOptions exportOptions, Duration interval, JsonLog log,
      ScanDeadline deadline, Supplier<List<MetricFamilySamples>> runtime,
      java.util.function.Function<ScanCycle.Events, ScanCycle> cycle, CgroupEventSource watcher) {
    this.watcher = watcher;
    this.clock = clock;
    this.roots = roots;
    this.exportOptions = exportOptions;
    this.interval = interval;
    this.log = log;
    this.files = NativeControlFiles.orNio(why -> log.warn("native file reads unavailable, reading through NIO",
        Map.of("reason", why)));
    this.deadline = deadline;
    this.runtime = runtime;
    this.cycle = cycle.apply(new LoggedEvents());
    publish(this.cycle.initial());
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
   * One scan cycle and its publication. Never throws: a failed scan is counted, logged, and the old data ages.
   * Synchronized so that scans never overlap, whether the timer or {@link Serve#pollNow} asks for them.
   */
  synchronized void pollOnce() {
    Instant cycleStart = clock.instant(); // the clock, not nanoTime: staleness is judged on the clock's time
    try {
      Publication p = cycle.run(roots, files);
      if (p.failure().isEmpty() && failingBecause != null) {
        log.info("scans recovered", Map.of("failed_scans", failedInARow));
        failingBecause = null;
        failedInARow = 0;
      }
      publish(p);
    } catch (RuntimeException | Error e) { // rendering; one escaping would cancel the timer, and scans would stop
      log.error("publication failed", Map.of("error", String.valueOf(e)));
    } finally {
      lastCycle = Duration.between(cycleStart, clock.instant());
    }
  }

  /**
   * How long {@code /healthz} tolerates no scan returning: the interval plus twice the scan timeout, so one scan
   * abandoned at its deadline is not enough, and two in a row (or scans held back by stuck threads) are.
   */
  Duration healthBound() {
    return interval.plus(deadline.timeout().multipliedBy(2));
  }

  /**
   * The one health check ({@code /healthz} and {@code /-/healthy}, the systemd watchdog): empty when healthy, else
   * why not. Unhealthy when no scan returned within {@link #healthBound()}, or when
   * {@link ScanDeadline#MAX_STUCK_THREADS} scan threads are stuck. A failed scan that returned counts as alive: the
   * host may be broken, the agent is not.
   */
  public Optional<String> healthProblem(Instant now) {
    int stuck = deadline.stuckThreads();
    if (stuck >= ScanDeadline.MAX_STUCK_THREADS) {
      return Optional.of(stuck + " scan threads are stuck in reads (e.g. "
          + deadline.anyStuckFile().map(String::valueOf).orElse("unknown") + ")");
    }
    Duration since = Duration.between(cycle.lastReturned(), now);
    if (since.compareTo(healthBound()) > 0) {
      return Optional.of("no scan returned for " + since.toMillis() + " ms (bound " + healthBound().toMillis()
          + " ms: the interval plus twice the scan timeout)");
    }
    return Optional.empty();
  }

  /** The cycle's events as log lines: once per cause or kind, not at every scan. */
  private final class LoggedEvents implements ScanCycle.Events {
    @Override
    public void scanned(HostSnapshot s, boolean first) {
      if (first) {
        logFirstScan(s);
      }
    }

    @Override
    public void scanError(ScanError e) {
      if (loggedErrors.merge(new ErrorCause(e.file(), e.kind().label()), 1L, Long::sum) == 1) {
        log.warn("cannot use a control file (further ones of this kind are only counted)", Map.of("path", e.path(),
            "file", e.file(), "kind", e.kind().label(), "error", e.message()));
      }
    }

    @Override
    public void scanFailed(String why) {
      failedInARow++;
      if (!why.equals(failingBecause)) { // once per cause: a host root gone for an hour is one line, not 240
        log.error("scan failed", Map.of("error", why));
        failingBecause = why;
      }
    }

    @Override
    public void rootStatThrottle(boolean throttled, double seconds, double budgetSeconds) {
      log.warn(throttled ? "root memory.stat is slow: reading it every " + RootStatThrottle.EVERY_NTH_SCAN
          + "th scan only"
          : "root memory.stat is fast again: reading it every scan",
          Map.of("seconds", seconds, "budget_seconds", budgetSeconds));
    }

    @Override
    public void watchFellBack(String why) {
      log.warn("the inotify watcher fell back to polling: while it lasts, cgroups born and removed between two "
          + "scans are only counted (an overflow or a full queue re-arms by itself; the watch limit lasts until "
          + "serve restarts or reloads)", Map.of("reason", why));
    }

    @Override
    public void alertsFailed(RuntimeException e) {
      log.error("alert evaluation failed", Map.of("error", String.valueOf(e)));
    }
  }

  /** The start-up summary, completed with what only a scan knows: mode, hierarchies, capabilities. */
  private void logFirstScan(HostSnapshot s) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("kernel_release", s.host().kernelRelease().orElse(null));
    f.put("cgroup_mode", s.mode().label());
    f.put("hierarchies", s.hierarchies().stream().map(h -> h.name() + " v" + h.version() + " at " + h.mountPoint()
        + (h.fullView() ? "" : " (partial view)")).toList());
    f.put("dying_memory_cgroups", s.dyingMemoryCgroups().count().isPresent()
        ? s.dyingMemoryCgroups().count().getAsLong() : null);
    f.put("dying_method", s.dyingMemoryCgroups().method().map(m -> m.label()).orElse(null));
    io.cgwatch.model.Capabilities c = s.capabilities();
    Map<String, Object> caps = new LinkedHashMap<>();
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

  private void publish(Publication p) {
    // Render now what was scraped since the last publication (Prometheus' OpenMetrics+gzip until a first scrape
    // says what the scraper wants), the rest on first request: a scrape in steady state still only copies bytes
    // made here. Only what was asked for: OpenMetrics+gzip, made every scan whatever the scraper asked, was
    // ~55 ms of CPU and ~13 MB of garbage per scan at 1,000 cgroups when the scraper wanted text.
    Set<Exposition.Variant> asked = EnumSet.noneOf(Exposition.Variant.class);
    for (Exposition.Variant v : Exposition.Variant.values()) {
      if (scraped.remove(v)) {
        asked.add(v);
      }
    }
    scrapedOnce |= !asked.isEmpty();
    Set<Exposition.Variant> eager = eagerVariants(asked, scrapedOnce);
    List<MetricFamilySamples> process = runtime.get(); // once: the suppliers below are pure
    Supplier<List<MetricFamilySamples>> freshFamilies = p.families(exportOptions);
    Supplier<List<MetricFamilySamples>> staleFamilies = p.staleFamilies(exportOptions);
    Exposition fresh = Exposition.of(() -> withRuntime(freshFamilies.get(), process), eager, scraped::add);
    // The stale body (the agent's own series, cgwatch_up 0) is served only once scans stop succeeding: rendered on
    // its first request, never eagerly (it was a second rendering every cycle for a body nobody asked for).
    Exposition stale = Exposition.of(() -> withRuntime(staleFamilies.get(), process),
        EnumSet.noneOf(Exposition.Variant.class), scraped::add);
    // The JSON document is made on its first request only: few ask for it, and it was a tenth of each scan's CPU.
    latest.set(new Published(p.analysis(), p.lastSuccess(), fresh, stale,
        p.analysis().map(a -> new Memo<>(() -> json(a)))));
  }

  /**
   * The variants a publication renders at once: those scraped since the last one, or OpenMetrics+gzip (what
   * Prometheus asks for) while nothing was ever scraped. Any other is rendered on its first request.
   */
  static Set<Exposition.Variant> eagerVariants(Set<Exposition.Variant> scrapedSinceLast, boolean everScraped) {
    Set<Exposition.Variant> eager = EnumSet.noneOf(Exposition.Variant.class);
    eager.addAll(scrapedSinceLast);
    if (!everScraped) {
      eager.add(Exposition.Variant.OPENMETRICS_GZIP);
    }
    return eager;
  }

  private static List<MetricFamilySamples> withRuntime(List<MetricFamilySamples> cgwatch,
      List<MetricFamilySamples> process) {
    if (process.isEmpty()) {
      return cgwatch;
    }
    List<MetricFamilySamples> all = new ArrayList<>(cgwatch);
    all.addAll(process);
    return all;
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
    if (watcher instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing the watcher failed", Map.of("error", String.valueOf(e)));
      }
    }
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
