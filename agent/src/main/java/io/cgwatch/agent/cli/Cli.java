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
    cli.addSubcommand("capture", new io.cgwatch.agent.capture.CaptureCommand(clock));
    cli.addSubcommand("replay", new ReplayCommand());
    cli.addSubcommand("reclaim", new io.cgwatch.agent.reclaim.ReclaimCommand(clock));
    cli.addSubcommand("completion", new CompletionCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // Monitoring-plugin convention: anything that is not a verdict is UNKNOWN (3), bad usage included.
    for (CommandLine c : java.util.List.of(cli, cli.getSubcommands().get("diagnose"), cli.getSubcommands().get("serve"),
        cli.getSubcommands().get("capture"), cli.getSubcommands().get("replay"),
        cli.getSubcommands().get("reclaim"), cli.getSubcommands().get("completion"))) {
      c.getCommandSpec().exitCodeOnInvalidInput(3);
      c.getCommandSpec().exitCodeOnExecutionException(3);
    }
    HelpExamples.apply(cli);
    // A refusal of the one command that writes is an answer, not a usage mistake: print only its reason.
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler((e, args) -> {
      if (e instanceof io.cgwatch.agent.reclaim.ReclaimRefused) {
        e.getCommandLine().getErr().println(e.getMessage());
        return 3;
      }
      return usage.handleParseException(e, args);
    });
    return cli;
  }
}
