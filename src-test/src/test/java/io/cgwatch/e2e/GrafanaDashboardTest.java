package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/cgwatch.json against a real Prometheus scraping cgwatch serve on a copy of the real 6.1 capture
 * {@code unified-6.1-dying}: every panel query uses only metrics of docs/metrics.md, parses, and returns data. So
 * that every panel has something to show, the copy changes under serve as a host would: a job cgroup is removed and
 * stays dying (a zombie, with an age), one file turns malformed (a scan error), and one alert rule is lowered so the
 * alert panel has a firing alert.
 */
@Tag("e2e")
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Fixtures.dir().getParent().resolve("deploy/grafana/cgwatch.json");
  private static final Path METRICS_DOC = Fixtures.dir().getParent().resolve("docs/metrics.md");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(E2e.HTTP_TIMEOUT).build();
  private static final Duration DATA_TIMEOUT = Duration.ofSeconds(90);

  @Test
  void everyPanelQueryUsesDocumentedMetrics() throws Exception {
    Set<String> documented = new TreeSet<>();
    Matcher doc = Pattern.compile("^\\| `(cgwatch_[a-z_]+)` \\| (\\w+) ", Pattern.MULTILINE)
        .matcher(Files.readString(METRICS_DOC));
    while (doc.find()) {
      documented.add(doc.group(1));
      if (doc.group(2).equals("histogram")) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
          documented.add(doc.group(1) + suffix);
        }
      }
    }
    assertTrue(documented.size() > 40, "cannot read the metric table of " + METRICS_DOC);
    Map<String, String> queries = queries();
    assertTrue(queries.size() >= 20, queries.toString());
    for (Map.Entry<String, String> q : queries.entrySet()) {
      Matcher m = Pattern.compile("cgwatch_[a-z_]+").matcher(q.getValue());
      while (m.find()) {
        assertTrue(documented.contains(m.group()), q.getKey() + " uses " + m.group() + ", not in docs/metrics.md");
      }
    }
  }

  @Test
  void everyPanelQueryParsesAndReturnsDataFromARealPrometheus() throws Exception {
    E2e.requireOnPath("prometheus");
    Path dir = Files.createTempDirectory("cgwatch-e2e-grafana-");
    Clock clock = Clock.systemUTC();
    Path host = dir.resolve("host");
    E2e.copyTree(Fixtures.host("unified-6.1-dying"), host);
    ServeSettings d = E2e.settings(HostRoots.of(host), Duration.ofSeconds(1));
    // 5 dying cgroups on the capture: a threshold of 1 makes DyingCgroupsHigh fire, for the alert panel.
    ServeSettings settings = new ServeSettings(d.listen(), d.interval(), d.roots(), d.maxDepth(), d.include(),
        d.exclude(), d.maxCgroups(), d.rootMemoryStatBudget(), d.leakThreshold(), d.tlsCertFile(), d.tlsKeyFile(),
        d.basicAuthUsers(), Map.of("DyingCgroupsHigh", new RuleOverride(null, 1.0, null, Duration.ZERO, null)),
        d.alertmanagers());
    try (Serve serve = Serve.start(settings, clock, E2e.VERSION, new JsonLog(System.err, clock));
        E2e.Prometheus run = E2e.Prometheus.start(dir, "cgwatch", serve.port())) {
      Process prometheus = run.process;
      Path log = run.log;
      int webPort = run.webPort;

      String instance = "127.0.0.1:" + serve.port();
      long deadline = System.nanoTime() + DATA_TIMEOUT.toNanos();
      // The dashboard's host variable: label_values(cgwatch_up, instance).
      JsonNode values = awaitData(prometheus, log, webPort, "/api/v1/label/instance/values?match[]="
          + URLEncoder.encode("cgwatch_up", StandardCharsets.UTF_8), deadline);
      assertEquals(instance, values.get(0).asText(), values.toString());
      // Serve has seen /jobs/keeper alive. Now it is removed and the kernel keeps it dying (one more dying
      // descendant of /jobs and of the root), and ssh.service's memory.current turns unreadable.
      Path cgroup = host.resolve("sys/fs/cgroup");
      E2e.deleteTree(cgroup.resolve("jobs/keeper"));
      Files.writeString(cgroup.resolve("jobs/cgroup.stat"), "nr_descendants 0\nnr_dying_descendants 5\n");
      Files.writeString(cgroup.resolve("cgroup.stat"), "nr_descendants 4\nnr_dying_descendants 6\n");
      Files.writeString(cgroup.resolve("system.slice/ssh.service/memory.current"), "not a number\n");

      for (Map.Entry<String, String> q : queries().entrySet()) {
        // What Grafana sends for one selected host; $__rate_interval is at least 4 scrape intervals.
        String promql = q.getValue().replace("$instance", instance.replace(".", "\\\\."))
            .replace("$__rate_interval", "10s");
        JsonNode result = awaitData(prometheus, log, webPort, "/api/v1/query?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8), deadline);
        assertTrue(result.size() > 0, q.getKey());
      }
      // The zombie is the job removed above, seen by its parent.
      JsonNode zombies = awaitData(prometheus, log, webPort, "/api/v1/query?query="
          + URLEncoder.encode("cgwatch_zombie_cgroups > 0", StandardCharsets.UTF_8), deadline);
      assertEquals(1, zombies.size(), zombies.toString());
    } finally {
      E2e.deleteTree(dir);
    }
  }

  /** Every target expression, keyed "panel title / refId". */
  private static Map<String, String> queries() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode dash = JSON.readTree(DASHBOARD.toFile());
    for (JsonNode panel : dash.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        out.put(panel.path("title").asText() + " / " + t.path("refId").asText(), t.path("expr").asText());
      }
    }
    return out;
  }

  /**
   * GETs the API path until its data (a query's result, or a list) is non-empty. A 400 (PromQL that does not
   * parse) fails at once; Prometheus not listening yet is retried.
   */
  private static JsonNode awaitData(Process prometheus, Path log, int webPort, String path, long deadline)
      throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + webPort + path);
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!prometheus.isAlive()) {
        fail("prometheus exited with " + prometheus.exitValue() + "; its log:\n" + E2e.readLog(log));
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(E2e.HTTP_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 400 || r.statusCode() == 422) {
          fail("Prometheus rejected " + urlDecoded(path) + ": " + last);
        }
        if (r.statusCode() == 200) {
          JsonNode data = JSON.readTree(r.body()).path("data");
          JsonNode result = data.isArray() ? data : data.path("result");
          if (result.size() > 0) {
            return result;
          }
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    return fail("no data for " + urlDecoded(path) + " within " + DATA_TIMEOUT.toSeconds() + " s; last answer: "
        + last + "\nprometheus log:\n" + E2e.readLog(log));
  }

  private static String urlDecoded(String path) {
    return java.net.URLDecoder.decode(path, StandardCharsets.UTF_8);
  }
}
