package io.cgwatch.agent.cycle;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.alert.AlertEngine;
import io.cgwatch.agent.alert.AlertSink;
import io.cgwatch.agent.alert.EvalInput;
import io.cgwatch.agent.host.OshiHostInfo;
import io.cgwatch.cgroupfs.CgroupEventSource;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.cgroupfs.SlowTierCarry;
import io.cgwatch.model.AlertStatus;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import io.cgwatch.model.WatchStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One scan → analysis → alerts → self-stats, the pipeline serve ({@code Poller}), diagnose and replay all run:
 * each call scans a host and returns the finished {@link Publication}. Keeps the history the steps need (lifecycle,
 * trends, alert episodes, counters), so feed it scans in time order from one thread. Never throws for a failed
 * scan: the failure is counted and the previous analysis is kept.
 */
public final class ScanCycle {
  /** What the cycle tells its owner, for logging; every method has a do-nothing default. */
  public interface Events {
    default void scanned(HostSnapshot s, boolean first) {}

    default void scanError(ScanError e) {}

    default void scanFailed(String why) {}

    default void rootStatThrottle(boolean throttled, double seconds, double budgetSeconds) {}

    default void alertsFailed(RuntimeException e) {}

    /** The watcher fell back to polling only (once per fallback). */
    default void watchFellBack(String why) {}
  }

  private static final Events QUIET = new Events() {};
  /** Read-latency buckets by default: few series per control file. */
  public static final List<Double> FILE_READ_BOUNDS = Histogram.FILE_READ_BOUNDS;
  /** Every bucket from 100 µs to 10 s, for a closer look at slow reads (serve's full read-latency option). */
  public static final List<Double> FILE_READ_BOUNDS_FULL = Histogram.FILE_READ_BOUNDS_FULL;

  private final Clock clock;
  private final Ticker ticker;
  private final ScanOptions scanOptions;
  private final Analyzer analyzer;
  private final AlertEngine alerts;
  private final boolean oneShot;
  private final List<AlertSink> sinks;
  private final Duration interval;
  private final String version;
  private final RootStatThrottle throttle;
  private final Events events;
  private final ScanGuard guard;
  private final Instant startedAt;
  /** When a scan last returned, usable or not (one the guard gave up on does not count); the start before. */
  private volatile Instant lastReturned;
  private final SelfStatsRecorder self;
  private Optional<Instant> lastSuccess = Optional.empty();
  private Optional<Analysis> lastAnalysis = Optional.empty();
  private HostInfo oshi;
  private CgroupEventSource watch = CgroupEventSource.NONE;
  private WatchStats watchStats = WatchStats.DISABLED;
  /** Read the slow tier (limits, PSI, pids, events) every this many scans, carrying it forward between; 1: always. */
  private final int slowTierEvery;
  /** The last usable scan, slow tier included (read or carried), and how many scans ago the slow tier was read. */
  private HostSnapshot lastRead;
  private int scansSinceSlowTier;

  /**
   * @param oneShot alerts skip their {@code for} (diagnose: there is no time to wait); false for serve and replay
   * @param interval the time between scans, as the alerts and {@code cgwatch_scan_interval_seconds} see it
   * @param rootStatBudget a root memory.stat read slower than this is throttled to every 10th scan
   * @param guard how the scan runs (serve: under its deadline)
   * @param fileReadBounds the buckets of {@code cgwatch_file_read_duration_seconds} ({@link #FILE_READ_BOUNDS} by
   *     default, {@link #FILE_READ_BOUNDS_FULL} with serve's full read-latency option)
   */
  public ScanCycle(Clock clock, Ticker ticker, ScanOptions scanOptions, Analyzer analyzer, AlertEngine alerts,
      boolean oneShot, List<AlertSink> sinks, Duration interval, Duration rootStatBudget, String version,
      Events events, ScanGuard guard, List<Double> fileReadBounds) {
    this(clock, ticker, scanOptions, analyzer, alerts, oneShot, sinks, interval, rootStatBudget, version, events,
        guard, fileReadBounds, 1);
  }

  /**
   * @param slowTierEvery read the slow tier ({@code ReadPlan.V2_SLOW_FILES}) in one scan of this many and carry
   *     its last values forward in the others (serve's {@code --slow-tier-every}); 1 reads every tier every scan
   */
  public ScanCycle(Clock clock, Ticker ticker, ScanOptions scanOptions, Analyzer analyzer, AlertEngine alerts,
      boolean oneShot, List<AlertSink> sinks, Duration interval, Duration rootStatBudget, String version,
      Events events, ScanGuard guard, List<Double> fileReadBounds, int slowTierEvery) {
    if (slowTierEvery < 1) {
      throw new IllegalArgumentException("slowTierEvery must be >= 1, got " + slowTierEvery);
    }
    this.slowTierEvery = slowTierEvery;
    this.clock = clock;
    this.ticker = ticker;
    this.scanOptions = scanOptions;
    this.analyzer = analyzer;
    this.alerts = alerts;
    this.oneShot = oneShot;
    this.sinks = List.copyOf(sinks);
    this.interval = interval;
    this.version = version;
    this.throttle = new RootStatThrottle(rootStatBudget);
    this.events = events == null ? QUIET : events;
    this.guard = guard;
    this.self = new SelfStatsRecorder(fileReadBounds);
    this.startedAt = clock.instant();
    this.lastReturned = startedAt;
  }

  /** A cycle with no sinks, no throttle and no logging: diagnose and replay. */
  public static ScanCycle standalone(Clock clock, Ticker ticker, ScanOptions scanOptions, Analyzer analyzer,
      AlertEngine alerts, boolean oneShot, Duration interval, String version) {
    return new ScanCycle(clock, ticker, scanOptions, analyzer, alerts, oneShot, List.of(), interval,
        Duration.ofDays(1), version, QUIET, ScanGuard.NONE, FILE_READ_BOUNDS);
  }

  /**
   * Takes the watcher's events before each scan from now on (serve, {@code diagnose --samples}); set before the
   * first {@link #run}, from the thread that runs the cycle.
   */
  public ScanCycle watching(CgroupEventSource source) {
    this.watch = source;
    return this;
  }

  /** When a scan last returned, usable or not; the cycle's start before the first. Read by health checks. */
  public Instant lastReturned() {
    return lastReturned;
  }

  /** The publication before any scan: no analysis, only the agent's own series. */
  public Publication initial() {
    return publication(Optional.empty(), Optional.empty());
  }

  /** Scans the host under {@code roots} through {@code files}, then analyses, evaluates alerts and counts. */
  public Publication run(HostRoots roots, ControlFiles files) {
    long start = ticker.nanoTime();
    // Drained before the scan: every event is older than the snapshot, which the tracker relies on. Events of a
    // scan that fails are not kept; the next snapshot finds what they said (only sub-interval names are lost).
    CgroupEventSource.Batch batch = watch.drain();
    if (batch.stats().fallbacksTotal() > watchStats.fallbacksTotal()) {
      events.watchFellBack(batch.stats().fallbackReason().orElse("unknown"));
    }
    watchStats = batch.stats();
    Optional<Analysis> scanned = Optional.empty();
    Optional<String> failure = Optional.empty();
    try {
      TimedControlFiles timed = new TimedControlFiles(guard.files(files), ticker, (file, seconds) -> {
        if (guard.counts(Thread.currentThread())) {
          self.fileRead(file, seconds);
        }
      });
      HostSnapshot carriedFrom = lastRead != null && scansSinceSlowTier + 1 < slowTierEvery ? lastRead : null;
      ScanOptions options = scanOptions.withReadRootMemoryStat(throttle.shouldRead());
      ScanOptions tiers = carriedFrom == null ? options
          : options.withSlowTierCarried(SlowTierCarry.keys(carriedFrom));
      HostSnapshot read = guard.scan(() -> new CgroupScanner(timed).scan(roots, tiers, clock));
      HostSnapshot s = carriedFrom == null ? read : SlowTierCarry.carry(carriedFrom, read);
      lastReturned = clock.instant();
      if (roots.isLiveHost()) {
        oshi = oshi != null ? oshi : OshiHostInfo.read(s.host());
        s = s.withHost(oshi);
      }
      Optional<String> unusable = unusable(s);
      if (unusable.isPresent()) {
        scanned = Optional.of(analyzer.analyzeAlone(s)); // diagnose reports it; the history must not see it
        throw new ScanUnusableException(unusable.get());
      }
      Analysis a = analyzer.analyze(s, batch.events());
      scanned = Optional.of(a);
      lastRead = s;
      scansSinceSlowTier = carriedFrom == null ? 0 : scansSinceSlowTier + 1;
      self.succeeded(s, timed.rootMemoryStatSeconds());
      s.scan().errors().forEach(events::scanError);
      if (throttle.record(timed.rootMemoryStatSeconds())) {
        events.rootStatThrottle(throttle.throttled(), timed.rootMemoryStatSeconds(), throttle.budgetSeconds());
      }
      events.scanned(s, lastAnalysis.isEmpty());
      lastAnalysis = Optional.of(a);
      lastSuccess = Optional.of(clock.instant());
    } catch (RuntimeException | Error e) { // an Error too: in serve one escaping would stop the timer for good
      self.failed();
      guard.gaveUp(e).ifPresent(self::gaveUp);
      String why = e instanceof ScanUnusableException ? e.getMessage() : String.valueOf(e);
      failure = Optional.of(why);
      events.scanFailed(why);
    } finally {
      self.scanTook((ticker.nanoTime() - start) / 1e9);
    }
    List<AlertStatus> active = evaluateAlerts(); // also after a failure: that is how ScanFailing fires
    lastAnalysis = lastAnalysis.map(a -> a.withAlerts(active));
    return publication(scanned.map(a -> a.withAlerts(active)), failure);
  }

  /**
   * A scan that read no cgroup hierarchy at all (the host root or its mountinfo is gone or unreadable, the cgroup
   * mount was replaced by something empty) is a failed scan: publishing it would export an empty host as healthy.
   */
  public static Optional<String> unusable(HostSnapshot s) {
    if (s.hierarchies().stream().anyMatch(h -> h.liveCgroups() > 0)) {
      return Optional.empty();
    }
    String first = s.scan().errors().stream().findFirst()
        .map(e -> ": " + e.path() + (e.file().isEmpty() ? "" : "/" + e.file()) + " " + e.message()).orElse("");
    return Optional.of((s.hierarchies().isEmpty() ? "no cgroup hierarchy found" : "no cgroup hierarchy could be read")
        + first);
  }

  private List<AlertStatus> evaluateAlerts() {
    try {
      AlertEngine.Result r = alerts.evaluate(new EvalInput(lastAnalysis, lastSuccess, startedAt, interval,
          self.rootMemoryStatSeconds()), oneShot);
      for (AlertSink sink : sinks) {
        sink.deliver(r.active(), r.changes());
      }
      return r.active();
    } catch (RuntimeException e) {
      events.alertsFailed(e);
      return lastAnalysis.map(Analysis::alerts).orElse(List.of());
    }
  }

  private Publication publication(Optional<Analysis> scanned, Optional<String> failure) {
    Map<String, Long> deliveries = new TreeMap<>();
    sinks.forEach(sink -> sink.deliveries().forEach((k, v) -> deliveries.merge(k, v, Long::sum)));
    return new Publication(lastAnalysis, scanned, lastSuccess,
        self.build(version, throttle.throttled(), lastSuccess, deliveries, interval.toMillis() / 1000.0,
            watchStats), failure);
  }

  /** A scan that completed but read nothing usable. */
  static final class ScanUnusableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScanUnusableException(String message) {
      super(message, null, false, false);
    }
  }
}
