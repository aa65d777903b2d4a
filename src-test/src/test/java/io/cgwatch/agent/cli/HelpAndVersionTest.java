package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --help shows examples for every command, every example parses, and --version names the build. */
class HelpAndVersionTest {
  @Test
  void everyCommandHasExamplesInItsHelp() {
    CommandLine cli = Cli.commandLine(CliRunner.FIXED);
    List<String> commands = new ArrayList<>(cli.getSubcommands().keySet());
    commands.add(0, "cgwatch");
    assertEquals(commands.stream().sorted().toList(), HelpExamples.BY_COMMAND.keySet().stream().sorted().toList(),
        "HelpExamples must have examples for exactly the commands there are");
    for (String name : commands) {
      CliRunner.Result r = name.equals("cgwatch") ? CliRunner.run("--help") : CliRunner.run(name, "--help");
      assertEquals(0, r.exitCode(), name + ": " + r.err());
      assertTrue(r.out().contains("\nExamples:\n"), name + " --help has no examples:\n" + r.out());
      for (HelpExamples.Example e : HelpExamples.BY_COMMAND.get(name)) {
        assertTrue(r.out().contains("  cgwatch " + e.args() + "\n"), name + " --help lacks " + e.args());
      }
    }
  }

  @Test
  void everyExampleParsesWithTheRealParser() {
    for (Map.Entry<String, List<HelpExamples.Example>> entry : HelpExamples.BY_COMMAND.entrySet()) {
      for (HelpExamples.Example e : entry.getValue()) {
        List<String> words = shellWords(e.args());
        if (!entry.getKey().equals("cgwatch")) {
          assertEquals(entry.getKey(), words.get(0), "an example of " + entry.getKey() + " runs " + e.args());
        }
        try {
          CommandLine.ParseResult parsed = Cli.commandLine(CliRunner.FIXED).parseArgs(words.toArray(String[]::new));
          assertTrue(parsed.hasSubcommand(), e.args());
        } catch (CommandLine.ParameterException ex) {
          fail("example `cgwatch " + e.args() + "` does not parse: " + ex.getMessage());
        }
      }
    }
  }

  @Test
  void versionNamesTheVersionCommitAndBuildDate() {
    CliRunner.Result r = CliRunner.run("--version");
    assertEquals(0, r.exitCode(), r.err());
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].matches("cgwatch \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), r.out());
    // Built from this git checkout by Maven: a real commit id and a UTC timestamp, never an unfilled ${...}.
    assertTrue(lines[1].matches("commit [0-9a-f]{7,}(-dirty)?, built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
        r.out());
    assertFalse(r.out().contains("${"), r.out());
    assertEquals(r.out(), CliRunner.run("diagnose", "--version").out(), "subcommands print the same version");
  }

  /** Splits like a shell for the examples' needs: spaces, and single quotes that keep globs unexpanded. */
  private static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        if (w.length() > 0) {
          words.add(w.toString());
          w.setLength(0);
        }
      } else {
        w.append(c);
      }
    }
    if (w.length() > 0) {
      words.add(w.toString());
    }
    return words;
  }
}
