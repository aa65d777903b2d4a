package io.cgwatch.model;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The inotify watcher's own state, as of one drain.
 *
 * @param enabled whether a watcher was asked for at all ({@code --no-watch} / {@code watch: false} say no)
 * @param watches directories watched now (one inotify watch each)
 * @param fallbackActive events are no longer trusted or delivered (queue overflow, watch limit, a failed
 *     registration, the thread died): only the scans see changes, until it re-arms (after an overflow or a full
 *     queue) or is started again
 * @param fallbacksTotal times the watcher fell back to polling since it started
 * @param eventsTotal events handed out, by {@link CgroupEvent.Kind#label()}
 * @param eventsDropped events lost because the bounded queue was full (this also starts a fallback)
 * @param fallbackReason why the last fallback happened, for the log and the report
 */
public record WatchStats(boolean enabled, long watches, boolean fallbackActive, long fallbacksTotal,
    Map<String, Long> eventsTotal, long eventsDropped, Optional<String> fallbackReason) {

  /** No watcher: polling only, by choice rather than by fallback. */
  public static final WatchStats DISABLED = new WatchStats(false, 0, false, 0, Map.of(), 0, Optional.empty());

  public WatchStats {
    Map<String, Long> all = new TreeMap<>();
    for (CgroupEvent.Kind k : CgroupEvent.Kind.values()) {
      all.put(k.label(), 0L); // every kind, so the counters exist (at 0) before the first event
    }
    all.putAll(eventsTotal);
    eventsTotal = Map.copyOf(all);
  }
}
