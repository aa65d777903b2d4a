package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.support.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scrape copies what the last scan rendered and never reads cgroupfs: with the whole host root deleted after
 * the scan, /metrics and /api/v1/snapshot still answer with that scan's data.
 */
@Tag("e2e")
class ScrapeReadsNoCgroupfsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void scrapesAnswerFromTheLastScanAfterTheHostRootIsGone() throws Exception {
    Path host = tmp.resolve("unified-6.1-dying");
    E2e.copyTree(Fixtures.host("unified-6.1-dying"), host);
    try (Serve serve = E2e.start(HostRoots.of(host), Duration.ofHours(1))) {
      E2e.awaitReady(serve); // the poller's own first scan; the next is an hour away
      serve.pollNow();
      HttpResponse<String> before = E2e.get(serve.port(), "/metrics", null);
      assertEquals(200, before.statusCode());

      E2e.deleteTree(host);
      assertFalse(Files.exists(host), host + " still exists");

      HttpResponse<String> metrics = E2e.get(serve.port(), "/metrics", null);
      assertEquals(200, metrics.statusCode(), metrics.body());
      String body = metrics.body();
      assertTrue(body.contains("\ncgwatch_dying_memory_cgroups{method=\"nr_dying_descendants\",} 5.0\n"), body);
      assertTrue(body.contains("\ncgwatch_up 1.0\n"), body);
      assertEquals(before.body(), body, "the exposition changed although no scan ran");

      HttpResponse<String> snapshot = E2e.get(serve.port(), "/api/v1/snapshot", null);
      assertEquals(200, snapshot.statusCode(), snapshot.body());
      assertTrue(snapshot.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
          snapshot.headers().toString());
      JsonNode doc = JSON.readTree(snapshot.body());
      assertEquals(1, doc.path("schema_version").asInt(), snapshot.body());
      assertEquals("nr_dying_descendants", doc.path("dying_memory_cgroups").path("method").asText(),
          snapshot.body());
      assertEquals(5, doc.path("dying_memory_cgroups").path("count").asLong(), snapshot.body());

      assertEquals(200, E2e.get(serve.port(), "/healthz", null).statusCode());
      assertEquals(200, E2e.get(serve.port(), "/readyz", null).statusCode());
    }
  }
}
