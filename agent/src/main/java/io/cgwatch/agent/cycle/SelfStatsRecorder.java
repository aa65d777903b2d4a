package io.cgwatch.agent.cycle;

import io.cgwatch.exporters.prometheus.HistogramSnapshot;
import io.cgwatch.exporters.prometheus.SelfStats;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import io.cgwatch.model.WatchStats;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What cgwatch counts about its own scans since it started: the one place {@link SelfStats} is assembled, for
 * serve's {@code /metrics} and {@code diagnose --format openmetrics} alike. Used by one thread (the cycle's).
 */
final class SelfStatsRecorder {
  private final Histogram scanDuration = new Histogram(Histogram.SCAN_BOUNDS);
  private final List<Double> fileReadBounds;
  private final Map<String, Histogram> fileReads = new HashMap<>();
  private final Map<String, Map<String, Long>> errors = new TreeMap<>();
  private long scansSucceeded;
  private long scansFailed;
  private long vanished;
  private long lastScanCgroups;
  private OptionalDouble rootMemoryStatSeconds = OptionalDouble.empty();

  SelfStatsRecorder(List<Double> fileReadBounds) {
    this.fileReadBounds = List.copyOf(fileReadBounds);
  }

  void fileRead(String file, double seconds) {
    fileReads.computeIfAbsent(file, f -> new Histogram(fileReadBounds)).observe(seconds);
  }

  /** A scan that produced a usable snapshot. */
  void succeeded(HostSnapshot s, double rootStatSeconds) {
    scansSucceeded++;
    vanished += s.scan().vanished();
    lastScanCgroups = s.scan().cgroupsRead();
    for (ScanError e : s.scan().errors()) {
      errors.computeIfAbsent(e.file().isEmpty() ? "(directory)" : e.file(), f -> new TreeMap<>())
          .merge(e.kind().label(), 1L, Long::sum);
    }
    if (rootStatSeconds >= 0) {
      rootMemoryStatSeconds = OptionalDouble.of(rootStatSeconds);
    }
  }

  void failed() {
    scansFailed++;
  }

  /** A scan the guard gave up on, stuck reading {@code file} ("" when unknown): a {@code timeout} error. */
  void gaveUp(String file) {
    errors.computeIfAbsent(file.isEmpty() ? "(scan)" : file, f -> new TreeMap<>())
        .merge(ScanError.Kind.TIMEOUT.label(), 1L, Long::sum);
  }

  void scanTook(double seconds) {
    scanDuration.observe(seconds);
  }

  OptionalDouble rootMemoryStatSeconds() {
    return rootMemoryStatSeconds;
  }

  SelfStats build(String version, boolean throttled, Optional<Instant> lastSuccess, Map<String, Long> deliveries,
      double intervalSeconds, WatchStats watch) {
    Map<String, HistogramSnapshot> reads = new HashMap<>();
    fileReads.forEach((f, h) -> reads.put(f, h.snapshot()));
    Map<String, Map<String, Long>> errorsNow = new TreeMap<>(); // a copy: the publication is read by other threads
    errors.forEach((file, kinds) -> errorsNow.put(file, Map.copyOf(kinds)));
    return new SelfStats(version, scansSucceeded, scansFailed, scanDuration.snapshot(), vanished, errorsNow, reads,
        rootMemoryStatSeconds, throttled, lastSuccess.map(t -> OptionalDouble.of(t.toEpochMilli() / 1000.0))
            .orElse(OptionalDouble.empty()), lastScanCgroups, deliveries, intervalSeconds, watch);
  }
}
