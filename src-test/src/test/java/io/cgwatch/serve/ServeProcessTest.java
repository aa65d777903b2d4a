package io.cgwatch.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged jar as a user runs it: JSON start-up log, a scrape, then SIGTERM exits 0. */
class ServeProcessTest {
  private static final Pattern LISTEN = Pattern.compile("\"listen\":\"127\\.0\\.0\\.1:(\\d+)\"");

  @Test
  void sigtermStopsTheServerAndExitsZero() throws Exception {
    Path jar = Fixtures.dir().resolve("../agent/target/cgwatch.jar").normalize();
    assertTrue(Files.isRegularFile(jar), jar + " is built by the agent module before the tests run");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString(), "serve", "--listen", "127.0.0.1:0", "--interval", "1s", "--host-root",
        Fixtures.host("unified-6.1-dying").toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> log = new ArrayList<>();
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
      String first = err.readLine();
      log.add(first);
      Matcher m = LISTEN.matcher(String.valueOf(first));
      assertTrue(m.find(), "start-up line: " + first);
      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      // Stop a server that is running, not one still in its first scan: a scan in flight at SIGTERM finishes and
      // logs after "stopping" (on a loaded machine the first scan can take a second).
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        log.add(line);
        if (line.contains("\"msg\":\"first scan done\"")) {
          break;
        }
      }
      // Process.destroy() would also close our end of its stderr; send the signal as a service manager does.
      assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped within 20 s");
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        log.add(line);
      }
      assertEquals(0, p.exitValue(), "exit code after SIGTERM; log: " + log);
      assertTrue(log.get(log.size() - 1).contains("\"msg\":\"cgwatch serve stopping\""), log.toString());
      assertTrue(log.stream().allMatch(l -> l.startsWith("{") && l.endsWith("}")), "one JSON object a line: " + log);
    } finally {
      p.destroyForcibly();
    }
  }
}
