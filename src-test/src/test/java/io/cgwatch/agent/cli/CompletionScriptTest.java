package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cgwatch completion bash|zsh} loaded into the real shells: bash registers it and completes partial words
 * (COMPREPLY), zsh registers it through bashcompinit.
 */
class CompletionScriptTest {
  @TempDir
  Path dir;

  @Test
  void bashRegistersTheScript() throws Exception {
    Path script = script("bash");
    String out = shell("bash", "source " + script + " && complete -p cgwatch");
    assertEquals("complete -o default -F _complete_cgwatch cgwatch", out.strip());
  }

  @Test
  void bashCompletesSubcommandsFlagsAndFlagValues() throws Exception {
    Path script = script("bash");
    assertEquals("diagnose", complete(script, "cgwatch", "dia"));
    assertEquals("--listen", complete(script, "cgwatch", "serve", "--li"));
    assertEquals("--format", complete(script, "cgwatch", "diagnose", "--for"));
    assertEquals("text json prometheus openmetrics", complete(script, "cgwatch", "diagnose", "--format", ""));
    assertEquals("bash zsh", complete(script, "cgwatch", "completion", ""));
  }

  @Test
  void zshRegistersTheScriptThroughBashcompinit() throws Exception {
    if (onPath("zsh") == null) {
      // ./test installs zsh before the build, so CI always runs this.
      System.out.println("SKIPPED CompletionScriptTest.zsh: zsh is not installed (apt-get install zsh)");
      return;
    }
    Path script = script("zsh");
    String out = shell("zsh", "source " + script + " && print -r -- ${_comps[cgwatch]}");
    assertTrue(out.contains("_bash_complete -F _complete_cgwatch"), out);
  }

  /** What bash's completion function offers for the last word of {@code words}. */
  private String complete(Path script, String... words) throws Exception {
    StringBuilder array = new StringBuilder();
    for (String w : words) {
      array.append('"').append(w).append("\" ");
    }
    // compopt only works inside a completion bash started from a key press; here it has nothing to do.
    String cmd = "compopt() { :; }; source " + script + "; COMP_WORDS=(" + array + "); COMP_CWORD="
        + (words.length - 1) + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_cgwatch; "
        + "echo \"${COMPREPLY[*]}\"";
    return shell("bash", cmd).strip();
  }

  private Path script(String shell) throws Exception {
    CliRunner.Result r = CliRunner.run("completion", shell);
    assertEquals(0, r.exitCode(), r.err());
    Path p = dir.resolve("cgwatch." + shell);
    Files.writeString(p, r.out());
    return p;
  }

  private static String shell(String shell, String command) throws Exception {
    Process p = new ProcessBuilder(List.of(shell, "-c", command)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), shell + " did not finish");
    assertEquals(0, p.exitValue(), shell + " -c " + command + " failed:\n" + out);
    return out;
  }

  static Path onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
