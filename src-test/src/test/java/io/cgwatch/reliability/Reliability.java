package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.serve.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.exporters.prometheus.ExportOptions;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** An executable that .ci/reliability-deps.sh installs: missing is a failure naming the package. */
  static Path require(String name, String debianPackage) {
    Path p = onPath(name);
    if (p == null) {
      fail(name + " is not installed: apt-get install -y --no-install-recommends " + debianPackage
          + " (.ci/reliability-deps.sh does this before Maven runs)");
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
    Path promtool = require("promtool", "prometheus");
    Run r = run(List.of(promtool.toString(), "check", "metrics"), null, exposition, Duration.ofSeconds(60));
    if (r.exit() != 0 || !(r.out() + r.err()).isEmpty()) {
      fail(what + ": promtool check metrics exited " + r.exit() + ": " + r.out() + r.err() + "\n--- exposition:\n"
          + exposition.substring(0, Math.min(exposition.length(), 20_000)));
    }
  }

  /** One sample of an exposition: metric name and labels with escapes undone. */
  record Sample(String name, Map<String, String> labels, String value) {}

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /**
   * Parses text format 0.0.4 / OpenMetrics strictly, line by line: any line that is not a comment or one
   * well-formed sample fails. An injected series would show up as an extra sample or a broken line.
   */
  static List<Sample> parseExposition(String text) {
    List<Sample> samples = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    assertEquals("", lines[lines.length - 1], "the exposition ends with a newline");
    for (int n = 0; n < lines.length - 1; n++) {
      String line = lines[n];
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.startsWith("# UNIT ")
          || line.equals("# EOF")) {
        continue;
      }
      Matcher m = NAME.matcher(line);
      if (!m.lookingAt()) {
        fail("line " + (n + 1) + " is not a sample: " + line);
      }
      String name = m.group();
      int i = m.end();
      Map<String, String> labels = new LinkedHashMap<>();
      if (i < line.length() && line.charAt(i) == '{') {
        i++;
        while (line.charAt(i) != '}') {
          Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
          if (!ln.lookingAt() || line.charAt(ln.end()) != '=' || line.charAt(ln.end() + 1) != '"') {
            fail("line " + (n + 1) + ": bad label at " + i + ": " + line);
          }
          StringBuilder v = new StringBuilder();
          int j = ln.end() + 2;
          for (; line.charAt(j) != '"'; j++) {
            char c = line.charAt(j);
            if (c == '\\') {
              char e = line.charAt(++j);
              v.append(e == 'n' ? '\n' : e);
              if (e != 'n' && e != '\\' && e != '"') {
                fail("line " + (n + 1) + ": bad escape \\" + e + ": " + line);
              }
            } else {
              v.append(c);
            }
          }
          if (labels.put(ln.group(), v.toString()) != null) {
            fail("line " + (n + 1) + ": label " + ln.group() + " twice: " + line);
          }
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        i++;
      }
      String rest = line.substring(i);
      if (!rest.matches(" [-+]?([0-9.eE+-]+|NaN|Inf)( -?[0-9.]+)?")) {
        fail("line " + (n + 1) + ": bad value part '" + rest + "': " + line);
      }
      samples.add(new Sample(name, labels, rest.trim()));
    }
    return samples;
  }
}
