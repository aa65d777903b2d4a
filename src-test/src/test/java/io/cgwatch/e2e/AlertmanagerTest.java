package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.alert.RuleOverride;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.support.Fixtures;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cgwatch delivers its built-in alerts to a real Alertmanager (Debian's {@code prometheus-alertmanager}, 0.25 on
 * bookworm): the real capture {@code unified-6.1-dying} has 5 dying memory cgroups, {@code DyingCgroupsHigh} is set
 * to fire above 4 at once, and Alertmanager's own API must list the alert; once the copied capture says 0 dying
 * cgroups the alert must leave Alertmanager's active list. Alertmanager runs as a child process on loopback, with
 * clustering off, and is always stopped.
 */
@Tag("e2e")
class AlertmanagerTest {
  private static final String BINARY = "prometheus-alertmanager";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(E2e.HTTP_TIMEOUT).build();

  @TempDir
  Path tmp;

  @Test
  void dyingCgroupsHighReachesAlertmanagerAndIsResolvedThere() throws Exception {
    Path bin = requireAlertmanager();
    Path host = tmp.resolve("host");
    E2e.copyTree(Fixtures.host("unified-6.1-dying"), host);
    Path amDir = Files.createDirectory(tmp.resolve("alertmanager"));
    Path config = amDir.resolve("alertmanager.yml");
    Files.writeString(config, """
        route:
          receiver: 'null'
        receivers:
          - name: 'null'
        """);
    Path data = Files.createDirectory(amDir.resolve("data"));
    Path log = amDir.resolve("alertmanager.log");
    int port = E2e.freeLoopbackPort();
    Process am = null;
    Thread killOnExit = null;
    try {
      am = new ProcessBuilder(bin.toString(), "--config.file=" + config, "--storage.path=" + data,
          "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=", "--log.level=warn")
          .directory(amDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Process started = am;
      killOnExit = new Thread(started::destroyForcibly, "kill-e2e-alertmanager");
      Runtime.getRuntime().addShutdownHook(killOnExit);
      awaitReady(am, log, port);

      ServeSettings base = E2e.settings(HostRoots.of(host), Duration.ofSeconds(1));
      ServeSettings settings = new ServeSettings(base.listen(), base.interval(), base.roots(), base.maxDepth(),
          base.include(), base.exclude(), base.maxCgroups(), base.rootMemoryStatBudget(), base.leakThreshold(),
          base.tlsCertFile(), base.tlsKeyFile(), base.basicAuthUsers(),
          Map.of("DyingCgroupsHigh", new RuleOverride(null, 4.0, 2.0, Duration.ZERO, null)),
          List.of(URI.create("http://127.0.0.1:" + port)));
      Clock clock = Clock.systemUTC();
      long t0 = System.nanoTime();
      try (Serve serve = Serve.start(settings, clock, E2e.VERSION, new JsonLog(System.err, clock))) {
        JsonNode alert = await(am, log, port, "an active DyingCgroupsHigh alert",
            alerts -> dyingCgroupsHigh(alerts).filter(a -> "active".equals(a.path("status").path("state").asText())));
        long firingAfter = System.nanoTime() - t0;
        JsonNode labels = alert.path("labels");
        assertEquals("warning", labels.path("severity").asText(), alert.toString());
        assertEquals("unified", labels.path("hierarchy").asText(), alert.toString());
        assertEquals("/", labels.path("cgroup").asText(), alert.toString());
        assertFalse(labels.path("instance").asText().isEmpty(), alert.toString());
        String summary = alert.path("annotations").path("summary").asText();
        assertTrue(summary.contains("5 dying memory cgroups"), alert.toString());
        assertFalse(alert.path("annotations").path("description").asText().isEmpty(), alert.toString());

        // The kernel lets the dying cgroups go: the root's count drops to 0, below the clear level of 2.
        Files.writeString(host.resolve("sys/fs/cgroup/cgroup.stat"), "nr_descendants 5\nnr_dying_descendants 0\n",
            StandardCharsets.UTF_8);
        long t1 = System.nanoTime();
        // cgwatch keeps running: had it not resolved the alert, it would go on re-sending it as firing.
        await(am, log, port, "DyingCgroupsHigh gone from the active alerts",
            alerts -> dyingCgroupsHigh(alerts).isPresent() ? Optional.empty() : Optional.of(alerts));
        System.err.printf("AlertmanagerTest: firing in Alertmanager %d ms after start, resolved %d ms after the "
            + "change%n", TimeUnit.NANOSECONDS.toMillis(firingAfter), TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
            - t1));
        assertTrue(am.isAlive(), "alertmanager exited; its log:\n" + E2e.readLog(log));
        // Deliveries finish on the sender thread; the counters reach /metrics with the next scan's rendering.
        String metrics = "";
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); System.nanoTime() < end; Thread.sleep(200)) {
          metrics = E2e.get(serve.port(), "/metrics", null).body();
          if (metrics.lines().anyMatch(l -> l.startsWith("cgwatch_alert_deliveries_total{result=\"success\",}")
              && !l.endsWith(" 0.0"))) {
            break;
          }
        }
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("cgwatch_alert_deliveries_total{result=\"success\",}")
            && !l.endsWith(" 0.0")), "deliveries are counted:\n" + metrics.lines()
            .filter(l -> l.contains("deliveries")).toList());
      }
    } finally {
      try {
        if (am != null) {
          E2e.stop(am, "alertmanager");
        }
      } finally {
        if (killOnExit != null) {
          Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
      }
    }
  }

  private static Optional<JsonNode> dyingCgroupsHigh(JsonNode alerts) {
    for (JsonNode a : alerts) {
      if ("DyingCgroupsHigh".equals(a.path("labels").path("alertname").asText())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Alertmanager's binary from PATH; missing is a failure: {@code .ci/run} installs it. */
  private static Path requireAlertmanager() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = dir.isEmpty() ? null : Path.of(dir, BINARY);
      if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return fail(BINARY + " is not installed (not found on PATH=" + path + "). This test needs the real Alertmanager: "
        + "`apt-get install -y --no-install-recommends prometheus-alertmanager` (.ci/run does this).");
  }

  /** Until {@code /-/ready} answers 200. */
  private static void awaitReady(Process am, Path log, int port) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!am.isAlive()) {
        fail("alertmanager exited with " + am.exitValue() + " at start; its log:\n" + E2e.readLog(log));
      }
      try {
        HttpResponse<String> r = E2e.get(port, "/-/ready", null);
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      }
      Thread.sleep(100);
    }
    fail("alertmanager not ready within " + WAIT.toSeconds() + " s; last answer: " + last + "; its log:\n"
        + E2e.readLog(log));
  }

  /**
   * Polls {@code GET /api/v2/alerts} (active alerts, Alertmanager's default filter) until {@code found} gives a
   * result; fails with the last answer and Alertmanager's log after {@link #WAIT}.
   */
  private static JsonNode await(Process am, Path log, int port, String what,
      java.util.function.Function<JsonNode, Optional<JsonNode>> found) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!am.isAlive()) {
        fail("alertmanager exited with " + am.exitValue() + " while waiting for " + what + "; its log:\n"
            + E2e.readLog(log));
      }
      HttpResponse<String> r = E2e.get(port, "/api/v2/alerts", null);
      last = r.statusCode() + " " + r.body();
      if (r.statusCode() == 200) {
        Optional<JsonNode> hit = found.apply(JSON.readTree(r.body()));
        if (hit.isPresent()) {
          return hit.get();
        }
      }
      Thread.sleep(250);
    }
    return fail("no " + what + " in Alertmanager within " + WAIT.toSeconds() + " s; last GET /api/v2/alerts: "
        + last + "\nalertmanager log:\n" + E2e.readLog(log));
  }
}
