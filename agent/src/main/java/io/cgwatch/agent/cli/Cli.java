package io.cgwatch.agent.cli;

import java.time.Clock;
import picocli.CommandLine;

/** Builds the {@code cgwatch} command line; tests call this with a fixed clock and run it in-process. */
public final class Cli {
  private Cli() {}

  public static CommandLine commandLine(Clock clock) {
    CommandLine cli = new CommandLine(new RootCommand());
    cli.addSubcommand("diagnose", new DiagnoseCommand(clock));
    cli.addSubcommand("serve", new ServeCommand(clock));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }
}
