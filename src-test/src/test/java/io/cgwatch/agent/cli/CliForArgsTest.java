package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code Main} builds only the subcommand it runs (start-up time), and everything else still sees all of them:
 * help, a typo, no argument.
 */
class CliForArgsTest {
  @Test
  void buildsOnlyTheNamedSubcommand() {
    CommandLine cli = Cli.commandLineFor(Clock.systemUTC(), new String[] {"diagnose", "--json"});
    assertEquals(List.of("diagnose"), List.copyOf(cli.getSubcommands().keySet()));
    assertEquals(3, cli.getSubcommands().get("diagnose").getCommandSpec().exitCodeOnInvalidInput(),
        "bad usage is still UNKNOWN (3)");
  }

  @Test
  void completionDescribesTheWholeCommandLine() {
    CommandLine cli = Cli.commandLineFor(Clock.systemUTC(), new String[] {"completion", "bash"});
    assertEquals(6, cli.getSubcommands().size(), "the completion script must know every subcommand");
  }

  @Test
  void helpAndTyposSeeEverySubcommand() {
    for (String[] args : List.of(new String[] {}, new String[] {"--help"}, new String[] {"diagnos"})) {
      CommandLine cli = Cli.commandLineFor(Clock.systemUTC(), args);
      assertEquals(List.of("diagnose", "serve", "capture", "replay", "reclaim", "completion"),
          List.copyOf(cli.getSubcommands().keySet()));
    }
    StringWriter err = new StringWriter();
    CommandLine cli = Cli.commandLineFor(Clock.systemUTC(), new String[] {"diagnos"});
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    assertEquals(3, cli.execute("diagnos"));
    assertTrue(err.toString().contains("diagnose"), err.toString());
  }
}
