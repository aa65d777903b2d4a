package io.cgwatch.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a file under {@code fixtures/golden/}. Run with {@code -Dgolden.update=true} to rewrite
 * the files after an intended change, then review the diff; CI never sets it.
 */
public final class Golden {
  private Golden() {}

  public static void assertMatches(String name, String actual) {
    assertMatchesFile("golden/" + name, actual);
  }

  /** Like {@link #assertMatches}, for any file relative to {@code fixtures/} (e.g. {@code ../docs/metrics.md}). */
  public static void assertMatchesFile(String relativeToFixtures, String actual) {
    Path file = Fixtures.dir().resolve(relativeToFixtures).normalize();
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        fail("golden file " + file + " is missing; create it with -Dgolden.update=true and review it");
      }
      assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
          "output differs from " + file + " (if the change is intended: -Dgolden.update=true, then review)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
