package io.cgwatch.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The repository root and external tools (man, systemd-analyze, bash) for the packaging tests. */
public final class Tools {
  private Tools() {}

  /** The checkout these tests run in: the parent of fixtures/. */
  public static Path repo() {
    return Fixtures.dir().getParent();
  }

  /** What the deploy module built: target/ of deploy/. */
  public static Path deployTarget() {
    return repo().resolve("deploy/target");
  }

  public static Optional<Path> onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** A command's exit code, stdout and stderr, kept apart. */
  public record Run(int exit, String out, String err) {}

  public static Run run(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder b = new ProcessBuilder(command).directory(repo().toFile());
      b.environment().putAll(env);
      Process p = b.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      boolean done = p.waitFor(120, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      assertTrue(done, String.join(" ", command) + " did not finish within 120 s");
      return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command), e);
    } catch (Exception e) {
      throw new IllegalStateException(String.join(" ", command), e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
