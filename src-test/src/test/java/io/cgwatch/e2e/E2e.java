package io.cgwatch.e2e;

import io.cgwatch.support.Fixtures;

import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.exporters.prometheus.ExportOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** What the end-to-end tests share: starting Serve on loopback, HTTP GETs, external tools, temp trees. */
final class E2e {
  static final String VERSION = "e2e";
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

  private E2e() {}

  /** {@code cgwatch serve}'s defaults, on 127.0.0.1 with a port the kernel picks. */
  static ServeSettings settings(HostRoots roots, Duration interval) {
    return new ServeSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), interval, roots, 3,
        List.of(), List.of(), ExportOptions.DEFAULT_MAX_CGROUPS, Duration.ofMillis(100), Duration.ofHours(1),
        Optional.empty(), Optional.empty(), Map.of(), Map.of(), List.of());
  }

  static Serve start(HostRoots roots, Duration interval) throws IOException {
    Clock clock = Clock.systemUTC();
    return Serve.start(settings(roots, interval), clock, VERSION, new JsonLog(System.err, clock));
  }

  /**
   * Waits (at most 30 s) until /readyz answers 200, i.e. the poller's own first scan (scheduled with no delay at
   * start) has been published. Tests that call {@link Serve#pollNow()} wait for it first so that their scans
   * never run at the same time as the timer's.
   */
  static void awaitReady(Serve serve) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = get(serve.port(), "/readyz", null).statusCode();
      if (last == 200) {
        return;
      }
      Thread.sleep(50);
    }
    fail("cgwatch /readyz did not answer 200 within 30 s (last status " + last + ")");
  }

  static HttpResponse<String> get(int port, String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(HTTP_TIMEOUT).GET();
    if (accept != null) {
      b.header("Accept", accept);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The executable {@code name} from PATH. Missing is a failure, not a skip: {@code .ci/run} installs the Debian
   * {@code prometheus} package, which provides both {@code prometheus} and {@code promtool}.
   */
  static Path requireOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return fail(name + " is not installed (not found on PATH=" + path + "). The end-to-end tests need the real "
        + "Prometheus tools: install the Debian package with `apt-get install -y --no-install-recommends "
        + "prometheus` (.ci/run does this before running Maven).");
  }

  /** A loopback port that was free a moment ago. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** Copies a tree; symbolic links are copied as links, not followed. */
  static void copyTree(Path from, Path to) throws IOException {
    Fixtures.copyTree(from, to);
  }

  /** Deletes a tree, children first, never following links; missing is fine. */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** A child process's result: exit code and everything it printed (stdout and stderr). */
  record Run(int exit, String output) {}

  /**
   * Runs a command to completion with a bound, feeding {@code stdin} (may be null), and collects its output. The
   * process is killed if it does not finish in time.
   */
  static Run run(List<String> command, Path dir, String stdin, Duration timeout) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    java.util.concurrent.CompletableFuture<Void> feed = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try (java.io.OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (java.io.InputStream out = p.getInputStream()) {
        return new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      if (!p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
        fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
      }
      feed.get(10, java.util.concurrent.TimeUnit.SECONDS);
      return new Run(p.exitValue(), output.get(10, java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  /** The last 50 lines of a server's log, for failure messages. */
  static String readLog(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 50), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** SIGTERM, then SIGKILL after a grace period; waits (bounded) for the process to be gone. */
  static void stop(Process p, String name) throws InterruptedException {
    Duration grace = Duration.ofSeconds(5);
    p.destroy();
    if (!p.waitFor(grace.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      if (!p.waitFor(grace.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError(name + " (pid " + p.pid() + ") survived SIGKILL for " + grace.toSeconds() + " s");
      }
    }
  }

  /**
   * A real Prometheus on a free loopback port, scraping {@code 127.0.0.1:targetPort} as {@code job} every second,
   * with its data and log under {@code dir}. {@link #close} stops it; a shutdown hook kills it if the JVM dies
   * first.
   */
  static final class Prometheus implements AutoCloseable {
    final Process process;
    final int webPort;
    final Path log;
    private final Thread killOnExit;

    private Prometheus(Process process, int webPort, Path log) {
      this.process = process;
      this.webPort = webPort;
      this.log = log;
      this.killOnExit = new Thread(process::destroyForcibly, "kill-e2e-prometheus");
      Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static Prometheus start(Path dir, String job, int targetPort) throws IOException {
      return start(dir, job, targetPort, "");
    }

    /** @param jobExtra more keys of the scrape job (scheme, tls_config, basic_auth), indented by 4 spaces */
    static Prometheus start(Path dir, String job, int targetPort, String jobExtra) throws IOException {
      Path bin = requireOnPath("prometheus");
      Path config = dir.resolve("prometheus.yml");
      java.nio.file.Files.writeString(config, """
          global: {scrape_interval: 1s, evaluation_interval: 1s}
          scrape_configs:
            - job_name: %s
              static_configs:
                - targets: ['127.0.0.1:%d']
          """.formatted(job, targetPort) + jobExtra);
      Path data = java.nio.file.Files.createDirectory(dir.resolve("data"));
      Path log = dir.resolve("prometheus.log");
      int webPort = freeLoopbackPort();
      Process p = new ProcessBuilder(bin.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
          "--web.listen-address=127.0.0.1:" + webPort, "--log.level=warn")
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new Prometheus(p, webPort, log);
    }

    @Override
    public void close() throws InterruptedException {
      try {
        stop(process, "prometheus");
      } finally {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      }
    }
  }
}
