package io.cgwatch.agent.cli;

import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Runs {@code serve} until SIGTERM or SIGINT; on SIGHUP reads the flags and the config file again and restarts the
 * poller and the HTTP server with them. A config that no longer parses is logged and the running settings are
 * kept. What lives in memory (lifecycle tombstones, alert states, counters) starts again from zero, as after a
 * restart: the reload is a restart within the process. If the new settings cannot start (the new port is taken),
 * the error is logged and serve exits with it, for the service manager to restart.
 */
final class ServeReload {
  private final Supplier<ServeSettings> settings;
  private final Clock clock;
  private final JsonLog log;

  ServeReload(Supplier<ServeSettings> settings, Clock clock, JsonLog log) {
    this.settings = settings;
    this.clock = clock;
    this.log = log;
  }

  void run(ServeSettings first, BlockingQueue<String> signals) throws IOException, InterruptedException {
    Serve serve = Serve.start(first, clock, VersionProvider.version(), log);
    try {
      while (true) {
        String signal = signals.take();
        if (!signal.equals("HUP")) {
          log.info("cgwatch serve stopping", Map.of("signal", signal));
          return;
        }
        ServeSettings next;
        try {
          next = settings.get();
        } catch (RuntimeException e) {
          log.error("SIGHUP: the config does not load, keeping the running settings",
              Map.of("error", String.valueOf(e.getMessage())));
          continue;
        }
        log.info("SIGHUP: reloading (flags and config file read again; lifecycle and alert state restart)",
            Map.of());
        serve.close();
        serve = null;
        serve = Serve.start(next, clock, VersionProvider.version(), log);
      }
    } finally {
      if (serve != null) {
        serve.close();
      }
    }
  }
}
