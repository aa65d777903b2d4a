package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.exporters.prometheus.MetricCatalog;
import io.cgwatch.support.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The textfile-collector recipe of docs/cli.md, for real: {@code diagnose --format prometheus} writes a .prom file
 * and Debian's prometheus-node-exporter (only its textfile collector, on a loopback port) serves it. Every cgwatch
 * family in the file must come out with its own TYPE and HELP, not as untyped without help.
 */
@Tag("e2e")
class CliTextfileCollectorTest {
  @Test
  void nodeExporterServesTheTextfileWithTypesAndHelp() throws Exception {
    Path bin = E2e.requireOnPath("prometheus-node-exporter");
    Path dir = Files.createTempDirectory("cgwatch-e2e-textfile-");
    Process p = null;
    try {
      CliRunner.Result r = CliRunner.run("diagnose", "--format", "prometheus", "--host-root",
          Fixtures.host("unified-6.1-dying").toString());
      assertTrue(r.exitCode() <= 2, "a verdict, not UNKNOWN: " + r.err());
      Files.writeString(dir.resolve("cgwatch.prom"), r.out());
      int port = E2e.freeLoopbackPort();
      Path log = dir.resolve("node_exporter.log");
      p = new ProcessBuilder(bin.toString(), "--web.listen-address=127.0.0.1:" + port,
          "--collector.disable-defaults", "--collector.textfile", "--collector.textfile.directory=" + dir)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      String body = scrape(p, port, log);
      assertTrue(body.contains("node_textfile_scrape_error 0"), "the file parsed:\n" + body);
      int checked = 0;
      for (MetricCatalog m : List.of(MetricCatalog.values())) {
        if (!r.out().contains("# TYPE " + m.exposedName() + " ")) {
          continue; // not in a one-shot report (alert deliveries, per-cgroup series the fixture lacks)
        }
        String type = m.type().name().toLowerCase(java.util.Locale.ROOT);
        assertTrue(body.contains("# TYPE " + m.exposedName() + " " + type + "\n"), m.exposedName() + " as " + type
            + " in node_exporter's /metrics:\n" + body);
        assertTrue(body.contains("# HELP " + m.exposedName() + " "), m.exposedName() + " keeps its HELP");
        assertTrue(!body.contains("Metric read from " + dir), "no family reached it without HELP:\n" + body);
        checked++;
      }
      assertTrue(checked >= 20, "families checked: " + checked);
      assertTrue(body.contains("cgwatch_dying_memory_cgroups{method=\"nr_dying_descendants\"} 5"), body);
    } finally {
      if (p != null) {
        E2e.stop(p, "prometheus-node-exporter");
      }
      E2e.deleteTree(dir);
    }
  }

  private static String scrape(Process p, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        fail("node_exporter exited with " + p.exitValue() + ":\n" + E2e.readLog(log));
      }
      try {
        HttpResponse<String> r = E2e.get(port, "/metrics", null);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    return fail("node_exporter did not answer within 30 s:\n" + E2e.readLog(log));
  }
}
