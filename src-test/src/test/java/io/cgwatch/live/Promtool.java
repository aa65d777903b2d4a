package io.cgwatch.live;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code promtool check metrics} on an exposition, where Prometheus' promtool is installed. */
final class Promtool {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private Promtool() {}

  static boolean available() {
    return Files.isExecutable(PROMTOOL);
  }

  /** Fails on any problem promtool reports; its lint about naming conventions included. */
  static void checkMetrics(String exposition) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError("promtool check metrics failed: " + out);
    }
  }
}
