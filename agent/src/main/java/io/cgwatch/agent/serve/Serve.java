package io.cgwatch.agent.serve;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpsConfigurator;
import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.alert.AlertEngine;
import io.cgwatch.agent.alert.AlertSink;
import io.cgwatch.agent.alert.AlertmanagerSink;
import io.cgwatch.agent.alert.LogAlertSink;
import io.cgwatch.agent.cycle.ScanCycle;
import io.cgwatch.agent.cycle.Ticker;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.cgroupfs.CgroupEventSource;
import io.cgwatch.cgroupfs.CgroupWatcher;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.prometheus.ExportOptions;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts the poller and the HTTP server from settings; what {@code cgwatch serve} and the tests run. */
public final class Serve implements AutoCloseable {
  private final Poller poller;
  private final ScrapeServer server;
  private final Optional<AlertmanagerSink> alertmanager;
  private final Optional<SystemdWatchdog> watchdog;

  private Serve(Poller poller, ScrapeServer server, Optional<AlertmanagerSink> alertmanager,
      Optional<SystemdWatchdog> watchdog) {
    this.poller = poller;
    this.server = server;
    this.alertmanager = alertmanager;
    this.watchdog = watchdog;
  }

  public static Serve start(ServeSettings s, Clock clock, String version, JsonLog log) throws IOException {
    return start(s, clock, version, log, true);
  }

  /**
   * @param timer false to scan only on {@link #pollNow}: tests that compare two scrapes or move a fake clock
   *     must not race with the timer
   */
  public static Serve start(ServeSettings s, Clock clock, String version, JsonLog log, boolean timer)
      throws IOException {
    return start(s, clock, Ticker.SYSTEM, version, log, timer);
  }

  /** @param ticker times scans and file reads (a test that compares expositions byte for byte stops it) */
  public static Serve start(ServeSettings s, Clock clock, Ticker ticker, String version, JsonLog log,
      boolean timer) throws IOException {
    Optional<HttpsConfigurator> tls = TlsSettings.configurator(s.tls());
    Optional<Authenticator> auth = s.basicAuthUsers().isEmpty() ? Optional.empty()
        : Optional.of(new BcryptAuthenticator(s.basicAuthUsers()));
    List<AlertSink> sinks = new ArrayList<>();
    sinks.add(new LogAlertSink(log));
    Optional<AlertmanagerSink> alertmanager = s.alertmanagers().isEmpty() ? Optional.empty()
        : Optional.of(new AlertmanagerSink(s.alertmanagers(), s.interval(), clock, log));
    alertmanager.ifPresent(sinks::add);
    ScanDeadline deadline = new ScanDeadline(s.scanTimeout());
    // Started before the first scan, on its own daemon thread; the poller drains it before each scan.
    CgroupEventSource watcher = s.watch() ? CgroupWatcher.start(s.roots(), clock, s.maxDepth())
        : CgroupEventSource.NONE;
    Poller poller = new Poller(clock, s.roots(),
        new ExportOptions(s.maxDepth(), s.include(), s.exclude(), s.maxCgroups(), s.maxOwners()), s.interval(), log, deadline,
        new RuntimeMetrics(),
        events -> new ScanCycle(clock, ticker, new ScanOptions(s.maxDepth()),
            new Analyzer(clock, TrackerSettings.DEFAULTS, s.leakThreshold()), new AlertEngine(clock, s.alertRules()),
            false, sinks, s.interval(), s.rootMemoryStatBudget(), version, events, deadline,
            s.detailedReadLatency() ? ScanCycle.FILE_READ_BOUNDS_FULL : ScanCycle.FILE_READ_BOUNDS,
            s.slowTierEvery()).watching(watcher), watcher);
    ScrapeServer server;
    try {
      server = new ScrapeServer(s.listen(), poller, clock, version, tls, auth);
    } catch (IOException | RuntimeException e) { // the port is taken, ...: leave no thread behind
      poller.close();
      alertmanager.ifPresent(AlertmanagerSink::close);
      if (e instanceof java.net.BindException) { // the JDK's message does not say which address
        throw (java.net.BindException) new java.net.BindException("cannot listen on " + s.listen().getHostString()
            + ":" + s.listen().getPort() + ": " + e.getMessage().toLowerCase(java.util.Locale.ROOT)).initCause(e);
      }
      throw e;
    }
    server.start();
    if (timer) {
      poller.start();
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("version", version);
    fields.put("listen", server.address().getHostString() + ":" + server.address().getPort());
    fields.put("tls", tls.isPresent());
    fields.put("basic_auth", auth.isPresent());
    fields.put("interval_seconds", s.interval().toMillis() / 1000.0);
    fields.put("host_root", s.roots().hostRoot().toString());
    fields.put("max_depth", s.maxDepth());
    fields.put("max_cgroups", s.maxCgroups());
    fields.put("max_owners", s.maxOwners());
    fields.put("scan_timeout_seconds", s.scanTimeout().toMillis() / 1000.0);
    fields.put("watch", s.watch());
    log.info("cgwatch serve started", fields);
    // With the timer only: a test scanning by hand has no systemd to ping.
    Optional<SystemdWatchdog> watchdog = timer ? SystemdWatchdog.start(System.getenv(), poller, clock, log)
        : Optional.empty();
    return new Serve(poller, server, alertmanager, watchdog);
  }

  public int port() {
    return server.address().getPort();
  }

  /** Runs one scan now, outside the timer (tests). */
  public void pollNow() {
    poller.pollOnce();
  }

  @Override
  public void close() {
    watchdog.ifPresent(SystemdWatchdog::close);
    server.close();
    poller.close();
    alertmanager.ifPresent(AlertmanagerSink::close);
  }
}
