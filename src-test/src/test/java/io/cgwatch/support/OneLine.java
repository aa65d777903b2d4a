package io.cgwatch.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

/** The error contract of every command (docs/cli.md, "Errors and exit codes"), asserted on what it printed. */
public final class OneLine {
  private OneLine() {}

  /**
   * The one human line of stderr; any other line must be serve's JSON log event. No usage dump, no stack trace,
   * no Java class or exception names.
   */
  public static String of(String err) {
    List<String> human = err.lines().filter(l -> !l.startsWith("{")).toList();
    assertEquals(1, human.size(), "exactly one line of message, got:\n" + err);
    String line = human.get(0);
    assertFalse(line.matches(".*\\b(java|javax|sun|io\\.cgwatch|com\\.fasterxml|picocli)\\.[a-z].*"),
        "no class names: " + line);
    assertFalse(line.contains("Exception"), "no exception names: " + line);
    assertFalse(err.contains("Usage:"), "no usage dump: " + err);
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
    return line;
  }
}
