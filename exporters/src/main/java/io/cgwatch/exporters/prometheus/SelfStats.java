package io.cgwatch.exporters.prometheus;

import io.cgwatch.model.WatchStats;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What cgwatch knows about itself, accumulated by the poller since start.
 *
 * @param errorsTotal by file name, then kind ({@code malformed}, ...)
 * @param fileReads read-latency histograms by control file name
 * @param rootMemoryStatSeconds how long the last read of the root memory.stat took
 * @param alertDeliveries Alertmanager delivery outcomes; empty without an Alertmanager
 * @param intervalSeconds the configured time between scans
 * @param watch the inotify watcher's state ({@link WatchStats#DISABLED} without one)
 */
public record SelfStats(String version, long scansSucceeded, long scansFailed, HistogramSnapshot scanDuration,
    long vanishedTotal, Map<String, Map<String, Long>> errorsTotal, Map<String, HistogramSnapshot> fileReads,
    OptionalDouble rootMemoryStatSeconds, boolean rootMemoryStatThrottled, OptionalDouble lastSuccessEpochSeconds,
    long lastScanCgroups, Map<String, Long> alertDeliveries, double intervalSeconds, WatchStats watch) {

  /** Without a watcher. */
  public SelfStats(String version, long scansSucceeded, long scansFailed, HistogramSnapshot scanDuration,
      long vanishedTotal, Map<String, Map<String, Long>> errorsTotal, Map<String, HistogramSnapshot> fileReads,
      OptionalDouble rootMemoryStatSeconds, boolean rootMemoryStatThrottled, OptionalDouble lastSuccessEpochSeconds,
      long lastScanCgroups, Map<String, Long> alertDeliveries, double intervalSeconds) {
    this(version, scansSucceeded, scansFailed, scanDuration, vanishedTotal, errorsTotal, fileReads,
        rootMemoryStatSeconds, rootMemoryStatThrottled, lastSuccessEpochSeconds, lastScanCgroups, alertDeliveries,
        intervalSeconds, WatchStats.DISABLED);
  }

  public SelfStats {
    errorsTotal = Map.copyOf(errorsTotal);
    fileReads = Map.copyOf(fileReads);
    alertDeliveries = Map.copyOf(alertDeliveries);
  }
}
