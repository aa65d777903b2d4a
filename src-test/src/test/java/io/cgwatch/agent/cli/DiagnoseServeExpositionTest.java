package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.cycle.Ticker;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code diagnose --format openmetrics|prometheus} claims to be serve's exposition: for the same host, clock and
 * (stopped) ticker, its output and a scrape of {@code /metrics} after one scan are the same bytes, self-metrics
 * included. The only families {@code /metrics} has beyond it are the serve process's own ({@code process_*},
 * {@code jvm_*}), which a one-shot run has no business reporting; they are taken out of the scrape, by family.
 */
class DiagnoseServeExpositionTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  /** Every measured duration is 0: the two runs read the same files, but not in the same nanoseconds. */
  private static final Ticker STOPPED = () -> 0L;
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  @Test
  void sameBytesForADyingHost() throws Exception {
    assertSameExposition(Fixtures.host("unified-6.1-dying"));
  }

  @Test
  void sameBytesWithScanErrors(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp).kernel("6.1.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 1\nnr_dying_descendants 2\n");
    t.cgroup("/jobs").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 2\n")
        .file("memory.current", "not a number\n").file("memory.stat", "file 4096\nanon\n");
    String om = assertSameExposition(tmp);
    assertTrue(om.contains("cgwatch_scan_errors_total{file=\"memory.current\",kind=\"malformed\"} 1.0"), om);
  }

  private static String assertSameExposition(Path host) throws Exception {
    String diagnose = diagnose(host, "openmetrics");
    String scraped = scrape(host, OPENMETRICS);
    assertTrue(diagnose.contains("cgwatch_scans_total{result=\"success\"} 1.0"), diagnose);
    assertTrue(diagnose.contains("cgwatch_scan_duration_seconds_bucket"), diagnose);
    assertTrue(scraped.contains("# TYPE process_"), "serve adds its process families: " + scraped);
    assertEquals(withoutRuntimeFamilies(scraped), diagnose);
    assertEquals(withoutRuntimeFamilies(scrape(host, "text/plain")), diagnose(host, "prometheus"), "text 0.0.4");
    return diagnose;
  }

  /** The exposition without the process_* and jvm_* families (HELP, TYPE and samples alike). */
  private static String withoutRuntimeFamilies(String exposition) {
    StringBuilder out = new StringBuilder();
    boolean runtime = false;
    for (String line : exposition.split("\n", -1)) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String name = line.substring(7).split(" ", 2)[0];
        runtime = name.equals("jvm") || name.startsWith("process_") || name.startsWith("jvm_");
      } else if (line.startsWith("# EOF") || line.isEmpty()) { // OpenMetrics' end, or text's final newline
        runtime = false;
      }
      if (!runtime) {
        out.append(line).append('\n');
      }
    }
    return out.substring(0, out.length() - 1);
  }

  private static String diagnose(Path host, String format) {
    CommandLine cli = Cli.commandLine(new ManualClock(NOW), STOPPED);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("diagnose", "--format", format, "--interval", "15s", "--host-root",
        host.toString());
    assertTrue(code <= 2, "exit " + code + ": " + err);
    return out.toString();
  }

  private static String scrape(Path host, String accept) throws Exception {
    ManualClock clock = new ManualClock(NOW);
    ServeSettings s = new ServeSettings(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(15),
        HostRoots.of(host), 3, List.of(), List.of(), DiagnoseCommand.OPENMETRICS_EXPORT.maxCgroups(),
        Duration.ofMillis(100), Duration.ofHours(1), Optional.empty(), Optional.empty(), Map.of(), Map.of(),
        List.of());
    JsonLog log = new JsonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), clock);
    try (Serve serve = Serve.start(s, clock, STOPPED, VersionProvider.version(), log, false)) {
      serve.pollNow();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port()
          + "/metrics")).header("Accept", accept).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      return new String(r.body(), StandardCharsets.UTF_8);
    }
  }
}
