package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.agent.serve.TlsSettings;
import io.cgwatch.agent.serve.WebConfig;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.support.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scrapes cgwatch over HTTPS with basic auth, both set by a web config file in exporter-toolkit's
 * format, written as node_exporter's documentation shows it (relative cert paths, a bcrypt hash, min_version).
 * Prometheus verifies the certificate against its own CA file, so a TLS setup that only looks right fails here.
 */
@Tag("e2e")
class WebConfigScrapeTest {
  private static final String JOB = "cgwatch-e2e-tls";

  /** A self-signed certificate for 127.0.0.1 (cert.pem, key.pem in dir), made by the real openssl. */
  static void certificate(Path dir) throws Exception {
    E2e.Run r = E2e.run(List.of(E2e.requireOnPath("openssl").toString(), "req", "-x509", "-newkey", "rsa:2048",
        "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
        "subjectAltName=IP:127.0.0.1"), dir, null, Duration.ofSeconds(60));
    assertEquals(0, r.exit(), r.output());
  }

  @Test
  void prometheusScrapesThroughTlsAndBasicAuthFromANodeExporterWebConfig() throws Exception {
    E2e.requireOnPath("prometheus");
    Path dir = Files.createTempDirectory("cgwatch-e2e-webconfig-");
    try {
      certificate(dir);
      String hash = new String(BCrypt.withDefaults().hash(10, "s3cret scrape".toCharArray()),
          StandardCharsets.UTF_8);
      Path web = Files.writeString(dir.resolve("web.yml"), """
          # as in node_exporter's docs: https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md
          tls_server_config:
            cert_file: cert.pem
            key_file: key.pem
            min_version: TLS12
          http_server_config:
            http2: true
          basic_auth_users:
            prometheus: %s
          """.formatted(hash));
      WebConfig config = WebConfig.load(web);
      ServeSettings base = E2e.settings(HostRoots.of(Fixtures.host("unified-6.1-dying")), Duration.ofSeconds(1));
      ServeSettings s = new ServeSettings(base.listen(), base.interval(), base.roots(), base.maxDepth(),
          base.include(), base.exclude(), base.maxCgroups(), base.rootMemoryStatBudget(), base.leakThreshold(),
          java.util.Optional.empty(), java.util.Optional.empty(), config.users(), base.alertRules(),
          base.alertmanagers(), config.tls().map(TlsSettings::of), false);
      Clock clock = Clock.systemUTC();
      try (Serve serve = Serve.start(s, clock, E2e.VERSION, new JsonLog(System.err, clock));
          E2e.Prometheus run = E2e.Prometheus.start(dir, JOB, serve.port(), """
                  scheme: https
                  tls_config: {ca_file: %s, server_name: 127.0.0.1}
                  basic_auth: {username: prometheus, password: 's3cret scrape'}
              """.formatted(dir.resolve("cert.pem")))) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode up = PrometheusScrapeTest.awaitOne(run.process, run.log, run.webPort,
            "up{job=\"" + JOB + "\"} == 1", deadline);
        assertEquals(1.0, PrometheusScrapeTest.value(up), up.toString());
        JsonNode dying = PrometheusScrapeTest.awaitOne(run.process, run.log, run.webPort,
            "cgwatch_dying_memory_cgroups{job=\"" + JOB + "\"}", deadline);
        assertEquals(5.0, PrometheusScrapeTest.value(dying), dying.toString());
        JsonNode rss = PrometheusScrapeTest.awaitOne(run.process, run.log, run.webPort,
            "process_resident_memory_bytes{job=\"" + JOB + "\"}", deadline);
        assertTrue(PrometheusScrapeTest.value(rss) > 1e6, "the agent's own resident memory: " + rss);
      }
    } finally {
      E2e.deleteTree(dir);
    }
  }
}
