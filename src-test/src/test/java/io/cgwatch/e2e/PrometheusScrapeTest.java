package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.serve.Serve;
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
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus server scrapes cgwatch: the numbers of the real 6.1 capture {@code unified-6.1-dying} must come
 * out of PromQL as they went in. Prometheus runs as a child process on loopback with its own temporary storage and
 * is always stopped, and its directories removed, whatever happens.
 */
@Tag("e2e")
class PrometheusScrapeTest {
  private static final String JOB = "cgwatch-e2e";
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(E2e.HTTP_TIMEOUT).build();

  @Test
  void prometheusScrapesTheDyingCountsOfARealCapture() throws Exception {
    E2e.requireOnPath("prometheus");
    Path dir = Files.createTempDirectory("cgwatch-e2e-prometheus-");
    try (Serve serve = E2e.start(HostRoots.of(Fixtures.host("unified-6.1-dying")), Duration.ofSeconds(1));
        E2e.Prometheus run = E2e.Prometheus.start(dir, JOB, serve.port())) {
      Process prometheus = run.process;
      Path log = run.log;
      int webPort = run.webPort;

      long deadline = System.nanoTime() + QUERY_TIMEOUT.toNanos();
      JsonNode dying = awaitOne(prometheus, log, webPort, "cgwatch_dying_memory_cgroups", deadline);
      assertEquals("nr_dying_descendants", dying.path("metric").path("method").asText(), dying.toString());
      assertEquals(JOB, dying.path("metric").path("job").asText(), dying.toString());
      assertEquals(5.0, value(dying), dying.toString());

      JsonNode jobs = awaitOne(prometheus, log, webPort, "cgwatch_cgroup_dying_descendants{cgroup=\"/jobs\"}",
          deadline);
      assertEquals("unified", jobs.path("metric").path("hierarchy").asText(), jobs.toString());
      assertEquals(4.0, value(jobs), jobs.toString());

      JsonNode up = awaitOne(prometheus, log, webPort, "up{job=\"" + JOB + "\"}", deadline);
      assertEquals(1.0, value(up), up.toString());
    } finally {
      E2e.deleteTree(dir);
    }
  }

  /**
   * Queries until the instant vector has exactly one sample, Prometheus' API being unreachable until it is up.
   * Fails with Prometheus' log if the process exits or the deadline passes.
   */
  static JsonNode awaitOne(Process prometheus, Path log, int webPort, String query, long deadline)
      throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + webPort + "/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8));
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!prometheus.isAlive()) {
        fail("prometheus exited with " + prometheus.exitValue() + " before answering " + query + "; its log:\n"
            + E2e.readLog(log));
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(E2e.HTTP_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200) {
          JsonNode doc = JSON.readTree(r.body());
          JsonNode result = doc.path("data").path("result");
          if ("success".equals(doc.path("status").asText()) && result.size() == 1) {
            return result.get(0);
          }
          if (result.size() > 1) {
            fail("expected one series for " + query + ", got " + result);
          }
        }
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      }
      Thread.sleep(250);
    }
    return fail("no result for " + query + " within " + QUERY_TIMEOUT.toSeconds() + " s; last answer: " + last
        + "\nprometheus log:\n" + E2e.readLog(log));
  }

  static double value(JsonNode sample) {
    return Double.parseDouble(sample.path("value").path(1).asText());
  }
}
