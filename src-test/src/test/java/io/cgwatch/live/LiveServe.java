package io.cgwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.alert.RuleOverride;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.HostRoots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cgwatch serve} on the running kernel ({@code --host-root /}), in-process on a loopback port with the real
 * clock, so a live test reads the same {@code /metrics} and {@code /api/v1/snapshot} a Prometheus would. One JVM
 * for the whole test matters in the qemu guest, where each JVM start costs seconds.
 */
final class LiveServe implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Duration WAIT = Duration.ofSeconds(120); // a scan of a busy guest under TCG is slow

  private final Serve serve;
  private final ByteArrayOutputStream log;

  private LiveServe(Serve serve, ByteArrayOutputStream log) {
    this.serve = serve;
    this.log = log;
  }

  /**
   * @param timer true to scan every {@code interval}; false to scan only on {@link #scanNow}
   */
  static LiveServe start(Duration interval, boolean timer, Duration leakThreshold, Map<String, RuleOverride> rules)
      throws IOException {
    return start(interval, timer, leakThreshold, rules, false);
  }

  /** @param watch run serve's inotify watcher (off by default here: most scenarios show what polling sees) */
  static LiveServe start(Duration interval, boolean timer, Duration leakThreshold, Map<String, RuleOverride> rules,
      boolean watch) throws IOException {
    ServeSettings s = new ServeSettings(new InetSocketAddress("127.0.0.1", 0), interval, HostRoots.of(Path.of("/")),
        4, List.of(), List.of(), 100_000, Duration.ofSeconds(1), leakThreshold, Optional.empty(), Optional.empty(),
        Map.of(), rules, List.of()).withWatch(watch);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Clock clock = Clock.systemUTC();
    Serve serve = Serve.start(s, clock, "real-kernel", new JsonLog(new PrintStream(log, true, StandardCharsets.UTF_8),
        clock), timer);
    return new LiveServe(serve, log);
  }

  void scanNow() {
    serve.pollNow();
  }

  String metricsText() throws IOException, InterruptedException {
    return get("/metrics");
  }

  Samples metrics() throws IOException, InterruptedException {
    return Samples.parse(metricsText());
  }

  JsonNode snapshot() throws IOException, InterruptedException {
    return new ObjectMapper().readTree(get("/api/v1/snapshot"));
  }

  /** Successful scans so far, read off /metrics without parsing all of it (cheap enough to poll under TCG). */
  long scansOk() throws IOException, InterruptedException {
    String prefix = "cgwatch_scans_total{result=\"success\",} ";
    return metricsText().lines().filter(l -> l.startsWith(prefix)).findFirst()
        .map(l -> Math.round(Double.parseDouble(l.substring(prefix.length()))))
        .orElseThrow(() -> new AssertionError("no " + prefix.trim() + " in /metrics"));
  }

  /** Waits until {@code n} more scans have finished (n = 2: a whole scan started after this call), then parses. */
  Samples awaitScans(int n) throws IOException, InterruptedException {
    long target = scansOk() + n;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (scansOk() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("serve did not finish " + n + " scans in " + WAIT + "; log:\n" + log());
      }
      Thread.sleep(50);
    }
    return metrics();
  }

  /** Everything serve logged (one JSON object a line). */
  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + path))
        .timeout(WAIT).build();
    HttpResponse<String> r;
    try {
      r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // Once more: the first /api/v1/snapshot renders the JSON (and loads Jackson), which under TCG on a loaded
      // machine can outlast the server's 10 s response time, so the server closes the connection; the document
      // is kept once made, and the second request only copies it (seen on the 6.1 guest, 2026-12-05).
      r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  @Override
  public void close() {
    serve.close();
  }
}
