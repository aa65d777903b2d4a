package io.cgwatch.agent.cli;

import java.time.Clock;

/** Entry point: builds the command line and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.commandLineFor(Clock.systemUTC(), args).execute(args));
  }
}
