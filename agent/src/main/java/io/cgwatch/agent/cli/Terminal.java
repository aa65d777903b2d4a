package io.cgwatch.agent.cli;

import io.cgwatch.exporters.text.TextStyle;
import java.io.File;
import java.util.concurrent.TimeUnit;

/** How the text report should look on this process's stdout. Wiring only: asks the environment. */
final class Terminal {
  static final int DEFAULT_WIDTH = 100;

  private Terminal() {}

  /**
   * Colour only on a terminal and never with {@code NO_COLOR} (no-color.org) or {@code --no-color}; width from
   * {@code --width}, else {@code $COLUMNS}, else the terminal's own size, else no limit (files and pipes).
   */
  static TextStyle style(boolean noColor, Integer width) {
    boolean tty = System.console() != null;
    boolean color = tty && !noColor && System.getenv("NO_COLOR") == null;
    int w = width != null ? width : columns(tty);
    return new TextStyle(color, w);
  }

  private static int columns(boolean tty) {
    String env = System.getenv("COLUMNS");
    if (env != null && env.matches("\\d{1,4}")) {
      return Integer.parseInt(env);
    }
    if (!tty) {
      return 0;
    }
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty")).start();
      if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] rowsCols = new String(p.getInputStream().readAllBytes()).trim().split("\\s+");
        return Integer.parseInt(rowsCols[1]);
      }
      p.destroyForcibly();
    } catch (Exception e) {
      // no stty, no /dev/tty: fall back
    }
    return DEFAULT_WIDTH;
  }
}
