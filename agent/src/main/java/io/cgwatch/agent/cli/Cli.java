package io.cgwatch.agent.cli;

import io.cgwatch.agent.cycle.Ticker;
import java.time.Clock;
import picocli.CommandLine;

/** Builds the {@code cgwatch} command line; tests call this with a fixed clock and run it in-process. */
public final class Cli {
  private Cli() {}

  private static final java.util.List<String> SUBCOMMANDS = java.util.List.of("diagnose", "serve", "capture",
      "replay", "reclaim", "completion");
  /** Subcommands that can run alone; {@code completion} describes the whole command line, so it needs them all. */
  private static final java.util.List<String> STANDALONE = SUBCOMMANDS.subList(0, 5);

  public static CommandLine commandLine(Clock clock) {
    return commandLine(clock, Ticker.SYSTEM, SUBCOMMANDS);
  }

  /** With a ticker for scan and read durations (a test that compares expositions byte for byte stops it). */
  public static CommandLine commandLine(Clock clock, Ticker ticker) {
    return commandLine(clock, ticker, SUBCOMMANDS);
  }

  /**
   * For {@code args}: when the first argument names a subcommand, only that one is built. picocli builds each
   * subcommand's model by reflection, and building all five was ~0.2 s of {@code diagnose}'s cold start.
   * Anything else (no argument, {@code --help}, a typo) gets every subcommand, so help and errors list them all.
   */
  public static CommandLine commandLineFor(Clock clock, String[] args) {
    return commandLine(clock, Ticker.SYSTEM, args.length > 0 && STANDALONE.contains(args[0]) ? java.util.List.of(args[0])
        : SUBCOMMANDS);
  }

  private static CommandLine commandLine(Clock clock, Ticker ticker, java.util.List<String> names) {
    CommandLine cli = new CommandLine(new RootCommand());
    for (String name : names) {
      cli.addSubcommand(name, switch (name) {
        case "diagnose" -> new DiagnoseCommand(clock, ticker);
        case "serve" -> new ServeCommand(clock);
        case "capture" -> new io.cgwatch.agent.capture.CaptureCommand(clock);
        case "replay" -> new ReplayCommand();
        case "reclaim" -> new io.cgwatch.agent.reclaim.ReclaimCommand(clock);
        case "completion" -> new CompletionCommand();
        default -> throw new IllegalArgumentException(name);
      });
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // Monitoring-plugin convention: anything that is not a verdict is UNKNOWN (3), bad usage included.
    java.util.List<CommandLine> all = new java.util.ArrayList<>(java.util.List.of(cli));
    all.addAll(cli.getSubcommands().values());
    for (CommandLine c : all) {
      c.getCommandSpec().exitCodeOnInvalidInput(3);
      c.getCommandSpec().exitCodeOnExecutionException(3);
    }
    HelpExamples.apply(cli);
    // One line and the documented exit code for every error a user can cause; a reclaim refusal prints its reason.
    CliErrors.install(cli, clock);
    return cli;
  }
}
