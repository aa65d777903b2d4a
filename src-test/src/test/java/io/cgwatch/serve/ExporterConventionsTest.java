package io.cgwatch.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.agent.serve.TlsSettings;
import io.cgwatch.agent.serve.WebConfig;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Prometheus user expects of any exporter: the exporter-toolkit web config (TLS, basic auth), /-/healthy and
 * /-/ready, process_* and jvm_* self-metrics, counters that exist at 0, and a bounded read-latency family.
 */
class ExporterConventionsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  private static final String PASSWORD = "s3cret";
  private Serve serve;

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.close();
    }
  }

  private Serve start(Optional<TlsSettings> tls, Map<String, String> users, boolean fullReadLatency)
      throws Exception {
    ServeSettings s = new ServeSettings(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(15),
        HostRoots.of(Fixtures.host("unified-6.1-dying")), 3, List.of(), List.of(), 2000, Duration.ofMillis(100),
        Duration.ofHours(1), Optional.empty(), Optional.empty(), users, Map.of(), List.of(), tls, fullReadLatency);
    serve = Serve.start(s, CLOCK, "test", new JsonLog(new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), CLOCK), false);
    serve.pollNow();
    return serve;
  }

  private static Path certificate(Path dir) throws Exception {
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem",
        "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return dir.resolve("cert.pem");
  }

  private static HttpClient client(Path cert, String... protocols) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("cgwatch", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient.Builder b = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5));
    if (protocols.length > 0) {
      SSLParameters params = ssl.getDefaultSSLParameters();
      params.setProtocols(protocols);
      b.sslParameters(params);
    }
    return b.build();
  }

  private HttpResponse<String> get(HttpClient c, String scheme, String path, String user, String password)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + serve.port() + path))
        .timeout(Duration.ofSeconds(10));
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
          .getBytes(StandardCharsets.UTF_8)));
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aNodeExporterWebConfigServesTlsWithBasicAuth(@TempDir Path dir) throws Exception {
    Path cert = certificate(dir);
    String hash = new String(BCrypt.withDefaults().hash(10, PASSWORD.toCharArray()), StandardCharsets.UTF_8);
    Path web = Files.writeString(dir.resolve("web.yml"), """
        tls_server_config:
          cert_file: cert.pem
          key_file: key.pem
          min_version: TLS13
          prefer_server_cipher_suites: true
        basic_auth_users:
          prometheus: '%s'
        """.formatted(hash));
    WebConfig c = WebConfig.load(web);
    start(c.tls().map(TlsSettings::of), c.users(), false);
    HttpClient https = client(cert);
    assertEquals(401, get(https, "https", "/metrics", null, null).statusCode());
    assertEquals(401, get(https, "https", "/metrics", "prometheus", "wrong").statusCode());
    HttpResponse<String> ok = get(https, "https", "/metrics", "prometheus", PASSWORD);
    assertEquals(200, ok.statusCode());
    assertTrue(ok.body().contains("cgwatch_up 1.0"), ok.body());
    assertEquals(200, get(https, "https", "/-/healthy", "prometheus", PASSWORD).statusCode());
    assertEquals("ready\n", get(https, "https", "/-/ready", "prometheus", PASSWORD).body());
    // min_version TLS13: a client that only speaks TLS 1.2 gets no connection.
    assertThrows(java.io.IOException.class, () -> get(client(cert, "TLSv1.2"), "https", "/metrics", "prometheus",
        PASSWORD));
  }

  @Test
  void webConfigKeysCgwatchCannotHonourStopServeWithOneLine(@TempDir Path dir) throws Exception {
    Map<String, String> bad = Map.of(
        "tls_server_config: {cert_file: c.pem, key_file: k.pem, client_auth_type: RequireAndVerifyClientCert}\n",
        "client_auth_type RequireAndVerifyClientCert is not supported",
        "tls_server_config: {cert_file: c.pem, key_file: k.pem, curve_preferences: [X25519]}\n",
        "curve_preferences is not supported",
        "tls_server_config: {cert_file: c.pem, key_file: k.pem, min_version: TLS14}\n",
        "min_version TLS14: expected TLS10, TLS11, TLS12 or TLS13",
        "tls_server_config: {cert_file: c.pem}\n", "needs both cert_file and key_file",
        "basic_auth_users: {prometheus: plaintext}\n", "basic_auth_users.prometheus: not a bcrypt hash",
        "tls_server_config: {cert_file: c.pem, key_file: k.pem, client_ca: x}\n", "unknown key 'tls_server_config.client_ca'");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Path web = Files.writeString(dir.resolve("web.yml"), e.getKey());
      CliRunner.Result r = CliRunner.run(CLOCK, "serve", "--web.config.file", web.toString(),
          "--web.listen-address", "127.0.0.1:0", "--host-root", Fixtures.host("unified-6.1-dying").toString());
      assertEquals(3, r.exitCode(), e.getKey() + r.err());
      String line = io.cgwatch.support.OneLine.of(r.err());
      assertTrue(line.startsWith("cgwatch serve: --web.config.file " + web + ": ") && line.contains(e.getValue()),
          e.getKey() + " -> " + line);
    }
  }

  @Test
  void processAndJvmMetricsAndZeroCountersAreExported() throws Exception {
    start(Optional.empty(), Map.of(), false);
    String body = get(HttpClient.newHttpClient(), "http", "/metrics", null, null).body();
    for (String family : List.of("# TYPE process_cpu_seconds_total counter", "# TYPE process_resident_memory_bytes gauge",
        "# TYPE process_open_fds gauge", "# TYPE process_max_fds gauge", "# TYPE process_start_time_seconds gauge",
        "# TYPE jvm_memory_bytes_used gauge", "# TYPE jvm_gc_collection_seconds summary",
        "# TYPE jvm_threads_current gauge")) {
      assertTrue(body.contains(family + "\n"), family + " missing from:\n" + body);
    }
    // Errors no scan has had yet are already series at 0, so rate() and a dashboard panel work from the start.
    for (String kind : List.of("permission_denied", "io_error", "limit_cgroups", "limit_depth")) {
      assertTrue(body.contains("cgwatch_scan_errors_total{file=\"(directory)\",kind=\"" + kind + "\",} 0.0\n"),
          kind + ":\n" + body);
    }
    assertTrue(body.contains("cgwatch_scan_errors_total{file=\"memory.stat\",kind=\"malformed\",} 0.0\n"), body);
  }

  @Test
  void readLatencyHasFiveBucketsPerFileByDefaultAndSeventeenOptIn() throws Exception {
    start(Optional.empty(), Map.of(), false);
    String coarse = get(HttpClient.newHttpClient(), "http", "/metrics", null, null).body();
    serve.close();
    start(Optional.empty(), Map.of(), true);
    String full = get(HttpClient.newHttpClient(), "http", "/metrics", null, null).body();
    String memoryStat = "cgwatch_file_read_duration_seconds_bucket{file=\"memory.stat\",";
    assertEquals(5, coarse.lines().filter(l -> l.startsWith(memoryStat)).count(), coarse);
    assertEquals(17, full.lines().filter(l -> l.startsWith(memoryStat)).count(), full);
    long files = coarse.lines().filter(l -> l.startsWith("cgwatch_file_read_duration_seconds_count{")).count();
    assertTrue(files >= 5, "one histogram per control file name read: " + files);
    assertEquals(files * 5, coarse.lines().filter(l -> l.startsWith("cgwatch_file_read_duration_seconds_bucket"))
        .count());
  }
}
