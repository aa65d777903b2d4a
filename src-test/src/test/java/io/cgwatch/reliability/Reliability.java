package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.support.ExpositionParser;
import io.cgwatch.support.ExpositionParser.Sample;
import io.cgwatch.support.Promtool;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What the reliability tests share: serve on loopback, HTTP, external tools, a strict exposition parser. */
final class Reliability {
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

  private Reliability() {}

  static ServeSettings settings(HostRoots roots, Duration interval) {
    return new ServeSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), interval, roots, 3,
        List.of(), List.of(), ExportOptions.DEFAULT_MAX_CGROUPS, Duration.ofMillis(100), Duration.ofHours(1),
        Optional.empty(), Optional.empty(), Map.of(), Map.of(), List.of());
  }

  static Serve start(ServeSettings settings, OutputStream log) throws IOException {
    Clock clock = Clock.systemUTC();
    return Serve.start(settings, clock, "reliability", new JsonLog(new PrintStream(log, true,
        StandardCharsets.UTF_8), clock));
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(HTTP_TIMEOUT)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits (at most 30 s) for /readyz 200: the poller's first scan is published. */
  static void awaitReady(Serve serve) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (get(serve.port(), "/readyz").statusCode() == 200) {
        return;
      }
      Thread.sleep(50);
    }
    fail("/readyz did not answer 200 within 30 s");
  }

  /** An executable on PATH, or null. */
  static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** An executable that ./test installs: missing is a failure naming the package. */
  static Path require(String name, String debianPackage) {
    Path p = onPath(name);
    if (p == null) {
      fail(name + " is not installed: apt-get install -y --no-install-recommends " + debianPackage
          + " (./test does this before Maven runs)");
    }
    return p;
  }

  record Run(int exit, String out, String err) {}

  /** Runs a command with a bound; killed (and failed) when it does not finish in time. */
  static Run run(List<String> command, Map<String, String> env, String stdin, Duration timeout) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (env != null) {
      pb.environment().putAll(env);
    }
    File out = File.createTempFile("cgwatch-run", ".out");
    File err = File.createTempFile("cgwatch-run", ".err");
    try {
      pb.redirectOutput(out).redirectError(err);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        fail(command + " did not finish within " + timeout);
      }
      return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      out.delete();
      err.delete();
    }
  }

  /** {@code promtool check metrics} on an exposition: exit 0 and nothing printed, else a failure with both. */
  static void promtoolClean(String what, String exposition) throws Exception {
    require("promtool", "prometheus");
    Promtool.checkClean(what, exposition);
  }

  static List<Sample> parseExposition(String text) {
    return ExpositionParser.parse(text);
  }
}
