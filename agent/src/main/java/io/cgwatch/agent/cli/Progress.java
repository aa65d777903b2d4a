package io.cgwatch.agent.cli;

import java.io.PrintWriter;

/**
 * One status line on stderr that rewrites itself ({@code \r}, erase to end of line), for commands that run for a
 * while: {@code diagnose --samples N}, {@code capture}. Only on a terminal (stdin and stdout are one, and TERM is
 * not {@code dumb}); piped or redirected, it prints nothing, so logs and scripts see only the result. At most
 * five updates a second; {@link #close} erases the line before the result is printed. The text is built from
 * numbers by the callers, never from cgroup names.
 */
public final class Progress implements AutoCloseable {
  private static final long MIN_NANOS_BETWEEN = 200_000_000L;
  private final PrintWriter err;
  private final boolean enabled;
  private long lastNanos;
  private boolean shown;

  Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** Enabled when this process runs on a terminal. */
  public static Progress onTerminal(PrintWriter err) {
    String term = System.getenv("TERM");
    return new Progress(err, System.console() != null && term != null && !term.equals("dumb"));
  }

  /** Shows {@code text} unless the last update was under 200 ms ago ({@code force}: show it anyway). */
  public void update(String text, boolean force) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (!force && shown && now - lastNanos < MIN_NANOS_BETWEEN) {
      return;
    }
    lastNanos = now;
    shown = true;
    err.print("\r" + text + "\033[K");
    err.flush();
  }

  /** {@code 5s}, {@code 250ms}: how the user wrote it, near enough. */
  static String duration(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  @Override
  public void close() {
    if (shown) {
      err.print("\r\033[K");
      err.flush();
      shown = false;
    }
  }
}
