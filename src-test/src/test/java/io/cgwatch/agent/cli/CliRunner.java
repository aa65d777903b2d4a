package io.cgwatch.agent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import picocli.CommandLine;

/** Runs the real command line in-process with a fixed clock, capturing stdout, stderr and the exit code. */
public final class CliRunner {
  public static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  public record Result(int exitCode, String out, String err) {}

  private CliRunner() {}

  public static Result run(String... args) {
    return run(FIXED, args);
  }

  /** With the real clock for live tests: lifecycle ages and visible-leak idleness need time to pass. */
  public static Result run(Clock clock, String... args) {
    CommandLine cli = Cli.commandLine(clock);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
