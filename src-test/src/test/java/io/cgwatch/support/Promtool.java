package io.cgwatch.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code promtool check metrics} (Debian's prometheus package) on an exposition. */
public final class Promtool {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private Promtool() {}

  public static boolean available() {
    return Files.isExecutable(PROMTOOL);
  }

  /** Exit 0 and nothing printed (no lint either), else a failure naming {@code what} with promtool's words. */
  public static void checkClean(String what, String exposition) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(what + ": promtool check metrics took over 60 s");
    }
    String said = out.join();
    if (p.exitValue() != 0 || !said.isEmpty()) {
      fail(what + ": promtool check metrics exited " + p.exitValue() + ": " + said + "\n--- exposition:\n"
          + exposition.substring(0, Math.min(exposition.length(), 20_000)));
    }
  }
}
