package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.serve.Serve;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.support.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    E2e.Run r = E2e.run(List.of(promtool.toString(), "check", "metrics"), Path.of("."), body, PROMTOOL_TIMEOUT);
    if (r.exit() != 0 || !r.output().isEmpty()) {
      fail(what + ": promtool check metrics exited " + r.exit() + " and printed:\n" + r.output()
          + "\n--- exposition (" + body.length() + " chars, first " + EXCERPT + ") ---\n"
          + body.substring(0, Math.min(body.length(), EXCERPT)));
    }
  }
}
