package io.cgwatch.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.cgwatch.agent.alert.RuleOverride;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.support.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cgwatch serve} over real HTTP on loopback. */
class ServeHttpTest {
  private static final Duration INTERVAL = Duration.ofSeconds(15);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Serve serve;

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.close();
    }
  }

  private Serve start(String host, int maxDepth, List<String> include, List<String> exclude, int maxCgroups,
      Optional<Path> cert, Optional<Path> key, Map<String, String> users) throws IOException {
    return start(host, maxDepth, include, exclude, maxCgroups, cert, key, users, Map.of());
  }

  private Serve start(String host, int maxDepth, List<String> include, List<String> exclude, int maxCgroups,
      Optional<Path> cert, Optional<Path> key, Map<String, String> users, Map<String, RuleOverride> rules)
      throws IOException {
    ServeSettings s = new ServeSettings(new InetSocketAddress("127.0.0.1", 0), INTERVAL,
        HostRoots.of(Fixtures.host(host)), maxDepth, include, exclude, maxCgroups, Duration.ofMillis(100),
        Duration.ofHours(1), cert, key, users, rules, List.of());
    // No timer: every scan is one this test asks for, so two scrapes compare the same publication.
    serve = Serve.start(s, clock, "test", new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8), clock),
        false);
    serve.pollNow();
    return serve;
  }

  private Serve start(String host) throws IOException {
    return start(host, 3, List.of(), List.of(), 2000, Optional.empty(), Optional.empty(), Map.of());
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void metricsAreTextByDefaultAndOpenMetricsWhenAsked() throws Exception {
    start("unified-6.1-dying");
    HttpResponse<byte[]> plain = get("/metrics");
    assertEquals(200, plain.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", plain.headers().firstValue("Content-Type").get());
    assertTrue(text(plain).contains("cgwatch_dying_memory_cgroups{method=\"nr_dying_descendants\",} 5.0"));
    assertTrue(text(plain).contains("cgwatch_cgroup_dying_descendants{hierarchy=\"unified\",cgroup=\"/jobs\",} 4.0"));
    HttpResponse<byte[]> om = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertTrue(om.headers().firstValue("Content-Type").get().startsWith("application/openmetrics-text"));
    assertTrue(text(om).endsWith("# EOF\n"));
    assertFalse(text(plain).lines().anyMatch(l -> !l.startsWith("#")
        && l.replaceAll("\\{.*\\}", "{}").trim().split(" ").length > 2), // label values may hold spaces
        "no sample carries a timestamp");
  }

  @Test
  void gzipWhenAsked() throws Exception {
    start("unified-6.1-dying");
    HttpResponse<byte[]> r = get("/metrics", "Accept-Encoding", "gzip");
    assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
    String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(),
        StandardCharsets.UTF_8);
    assertEquals(text(get("/metrics")), body);
  }

  /**
   * After a scraper asked for gzipped text, the next scan renders only that; a format first asked for afterwards
   * is made on its request, and is whole and the same series in every encoding.
   */
  @Test
  void aFormatFirstAskedAfterAnotherWasScrapedIsServedWhole() throws Exception {
    start("unified-6.1-dying");
    get("/metrics", "Accept-Encoding", "gzip");
    serve.pollNow();
    String om = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    HttpResponse<byte[]> omGzip = get("/metrics", "Accept", om, "Accept-Encoding", "gzip");
    assertEquals("gzip", omGzip.headers().firstValue("Content-Encoding").orElse(""));
    String omBody = new String(new GZIPInputStream(new ByteArrayInputStream(omGzip.body())).readAllBytes(),
        StandardCharsets.UTF_8);
    assertEquals(text(get("/metrics", "Accept", om)), omBody);
    assertTrue(omBody.contains("cgwatch_cgroup_dying_descendants{hierarchy=\"unified\",cgroup=\"/jobs\"} 4.0"));
    assertTrue(omBody.endsWith("# EOF\n"));
    String textBody = new String(new GZIPInputStream(new ByteArrayInputStream(
        get("/metrics", "Accept-Encoding", "gzip").body())).readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(text(get("/metrics")), textBody);
  }

  @Test
  void endpointsAndMethods() throws Exception {
    start("unified-6.1-dying");
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(200, get("/readyz").statusCode());
    assertEquals(404, get("/nope").statusCode());
    assertEquals(404, get("/metrics/extra").statusCode());
    HttpResponse<byte[]> index = get("/");
    assertTrue(text(index).contains("href=\"/metrics\"") && text(index).contains("cgwatch test"), text(index));
    HttpResponse<byte[]> snapshot = get("/api/v1/snapshot");
    assertEquals("application/json", snapshot.headers().firstValue("Content-Type").get());
    assertTrue(text(snapshot).contains("\"schema_version\": 1"));
    HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port()
        + "/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").get());
    HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port()
        + "/metrics")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, head.statusCode());
    assertEquals(0, head.body().length);
  }

  @Test
  void staleSnapshotsDropPerCgroupSeriesAndReportDown() throws Exception {
    start("unified-6.1-dying");
    assertTrue(text(get("/metrics")).contains("cgwatch_up 1.0"));
    clock.advance(INTERVAL.multipliedBy(3)); // exactly 3 intervals: still fresh
    assertTrue(text(get("/metrics")).contains("cgwatch_up 1.0"));
    clock.advance(Duration.ofSeconds(1));
    String stale = text(get("/metrics"));
    assertTrue(stale.contains("cgwatch_up 0.0"), stale);
    assertFalse(stale.contains("cgroup=\""), "per-cgroup series are dropped");
    assertFalse(stale.contains("cgwatch_dying_memory_cgroups{"), "snapshot series are dropped");
    assertTrue(stale.contains("cgwatch_scans_total{result=\"success\",}"), "self-metrics stay");
    assertEquals(503, get("/readyz").statusCode());
    serve.pollNow();
    assertTrue(text(get("/metrics")).contains("cgwatch_up 1.0"), "a new scan makes it fresh again");
  }

  @Test
  void cardinalityCapKeepsTheCgroupsWithMostDyingAndSaysSo() throws Exception {
    start("unified-6.1-dying", 3, List.of(), List.of(), 2, Optional.empty(), Optional.empty(), Map.of());
    String m = text(get("/metrics"));
    List<String> cgroups = m.lines().filter(l -> l.startsWith("cgwatch_cgroup_dying_descendants{")).toList();
    assertEquals(List.of("cgwatch_cgroup_dying_descendants{hierarchy=\"unified\",cgroup=\"/\",} 5.0",
        "cgwatch_cgroup_dying_descendants{hierarchy=\"unified\",cgroup=\"/jobs\",} 4.0"), cgroups);
    assertTrue(m.contains("cgwatch_series_dropped 4.0"), m);
  }

  @Test
  void includeAndExcludeGlobs() throws Exception {
    start("unified-6.1-dying", 3, List.of("/system.slice/**", "/jobs"), List.of("/system.slice/ssh*"), 2000,
        Optional.empty(), Optional.empty(), Map.of());
    String m = text(get("/metrics"));
    List<String> cgroups = m.lines().filter(l -> l.startsWith("cgwatch_cgroup_dying_descendants{"))
        .map(l -> l.substring(l.indexOf("cgroup=\"") + 8, l.indexOf("\",}"))).toList();
    assertEquals(List.of("/jobs", "/system.slice/cron.service"), cgroups);
    assertTrue(m.contains("cgwatch_dying_memory_cgroups{method=\"nr_dying_descendants\",} 5.0"),
        "host-level series do not depend on the filters");
  }

  @Test
  void basicAuthWithBcryptHashes() throws Exception {
    String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
    start("unified-6.1-dying", 3, List.of(), List.of(), 2000, Optional.empty(), Optional.empty(),
        Map.of("prometheus", hash));
    assertEquals(401, get("/metrics").statusCode());
    assertEquals(401, get("/metrics", "Authorization", basic("prometheus", "wrong")).statusCode());
    assertEquals(401, get("/metrics", "Authorization", basic("nobody", "s3cret")).statusCode());
    HttpResponse<byte[]> ok = get("/metrics", "Authorization", basic("prometheus", "s3cret"));
    assertEquals(200, ok.statusCode());
    assertTrue(text(ok).contains("cgwatch_up 1.0"));
  }

  @Test
  void tlsFromPemFiles(@TempDir Path tmp) throws Exception {
    Path cert = tmp.resolve("cert.pem");
    Path key = tmp.resolve("key.pem");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
        key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost", "-addext",
        "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    start("unified-6.1-dying", 3, List.of(), List.of(), 2000, Optional.of(cert), Optional.of(key), Map.of());

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("cgwatch", CertificateFactory.getInstance("X.509")
        .generateCertificate(Files.newInputStream(cert)));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + serve.port()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("cgwatch_up 1.0"));
    assertThrows(IOException.class, () -> get("/metrics"), "plain HTTP is not served on the TLS port");
  }

  @Test
  void alertsShowInMetricsSnapshotAndLog() throws Exception {
    start("unified-6.1-dying", 3, List.of(), List.of(), 2000, Optional.empty(), Optional.empty(), Map.of(),
        Map.of("DyingCgroupsHigh", new RuleOverride(null, 4.0, 2.0, Duration.ofMinutes(1), null)));
    assertTrue(text(get("/metrics")).contains("cgwatch_alert{alertname=\"DyingCgroupsHigh\",severity=\"warning\","
        + "alertstate=\"pending\",hierarchy=\"unified\",cgroup=\"/\",} 1.0"), "pending until 'for' has passed");
    clock.advance(Duration.ofMinutes(1));
    serve.pollNow();
    String m = text(get("/metrics"));
    assertTrue(m.contains("cgwatch_alert{alertname=\"DyingCgroupsHigh\",severity=\"warning\","
        + "alertstate=\"firing\",hierarchy=\"unified\",cgroup=\"/\",} 1.0"), m);
    String snapshot = text(get("/api/v1/snapshot"));
    assertTrue(snapshot.contains("\"verdict\": \"warning\""), snapshot);
    String log = logs.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("\"msg\":\"alert pending\"") && log.contains("\"msg\":\"alert firing\""), log);
  }

  @Test
  void startupIsLoggedAsOneJsonLine() throws Exception {
    start("unified-6.1-dying");
    String first = logs.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    assertTrue(first.startsWith("{\"ts\":\"2026-11-25T12:00:00Z\",\"level\":\"info\",\"msg\":\"cgwatch serve started\""),
        first);
    assertTrue(first.contains("\"listen\":\"127.0.0.1:" + serve.port() + "\""), first);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
