package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.serve.Serve;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exposition of every fixture host, and of the build machine itself, passes the real {@code promtool check
 * metrics}: it must parse, and the linter (HELP present, counter names ending in _total, base units, ...) must
 * have nothing to say. Each scrape follows three scans (the poller's first and two {@code pollNow()}) so the
 * lifecycle series are in it too.
 */
@Tag("e2e")
class PromtoolCheckMetricsTest {
  private static final Duration PROMTOOL_TIMEOUT = Duration.ofSeconds(60);
  private static final int EXCERPT = 20_000;

  static List<String> hosts() {
    return Fixtures.hostNames();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void fixtureHostExpositionPassesPromtool(String host) throws Exception {
    checkMetrics(host, HostRoots.of(Fixtures.host(host)));
  }

  /** The live build machine (a hybrid host), read-only like every scan. */
  @Test
  @Tag("live")
  void liveHostExpositionPassesPromtool() throws Exception {
    checkMetrics("live host /", HostRoots.of(Path.of("/")));
  }

  private static void checkMetrics(String what, HostRoots roots) throws Exception {
    Path promtool = E2e.requireOnPath("promtool");
    String body;
    try (Serve serve = E2e.start(roots, Duration.ofHours(1))) {
      E2e.awaitReady(serve);
      serve.pollNow();
      serve.pollNow();
      HttpResponse<String> r = E2e.get(serve.port(), "/metrics", null);
      assertEquals(200, r.statusCode(), what + ": /metrics status");
      String type = r.headers().firstValue("Content-Type").orElse("");
      assertTrue(type.startsWith("text/plain; version=0.0.4"), what + ": Content-Type " + type);
      body = r.body();
    }
    assertTrue(body.contains("cgwatch_up 1.0"), what + ": no successful scan in the exposition:\n" + body);

    ProcessBuilder pb = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true);
    Process p = pb.start();
    CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
      try (OutputStream in = p.getOutputStream()) {
        in.write(body.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try (InputStream out = p.getInputStream()) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        out.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      if (!p.waitFor(PROMTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        fail(what + ": promtool check metrics did not finish within " + PROMTOOL_TIMEOUT.toSeconds() + " s");
      }
      feed.get(10, TimeUnit.SECONDS);
      String out = output.get(10, TimeUnit.SECONDS);
      int exit = p.exitValue();
      if (exit != 0 || !out.isEmpty()) {
        fail(what + ": promtool check metrics exited " + exit + " and printed:\n" + out
            + "\n--- exposition (" + body.length() + " chars, first " + EXCERPT + ") ---\n"
            + body.substring(0, Math.min(body.length(), EXCERPT)));
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
