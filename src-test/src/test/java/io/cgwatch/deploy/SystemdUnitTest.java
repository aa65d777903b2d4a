package io.cgwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.cli.Cli;
import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.agent.cli.ServeConfig;
import io.cgwatch.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * deploy/systemd/cgwatch.service checked by the real systemd-analyze (verify, and the offline security score the
 * docs quote), and its command line and config file accepted by cgwatch itself. .ci/package.sh verifies it again
 * once the package installed /usr/bin/cgwatch and the man pages.
 */
class SystemdUnitTest {
  /** The exposure score docs/scrape-target.md quotes; a change of the unit that raises it must update the docs. */
  static final double DOCUMENTED_EXPOSURE = 1.4;

  private static final Path UNIT = Tools.repo().resolve("deploy/systemd/cgwatch.service");
  private static final Path CONFIG = Tools.repo().resolve("deploy/config/cgwatch.yml");

  @Test
  void systemdAnalyzeVerifiesTheUnit(@TempDir Path dir) throws Exception {
    Path analyze = systemdAnalyze();
    // /usr/bin/cgwatch exists only once installed: point ExecStart at the launcher this build generated.
    Path launcher = Tools.deployTarget().resolve("generated/launcher/cgwatch");
    Path unit = dir.resolve("cgwatch.service");
    Files.writeString(unit, Files.readString(UNIT).replace("ExecStart=/usr/bin/cgwatch ", "ExecStart=" + launcher + " "));
    Tools.Run r = Tools.run(List.of(analyze.toString(), "verify", "--man=no", unit.toString()), Map.of());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals("", (r.out() + r.err()).strip(), "systemd-analyze verify warned");
  }

  @Test
  void securityExposureIsTheDocumentedScore() throws Exception {
    Path analyze = systemdAnalyze();
    Tools.Run r = Tools.run(List.of(analyze.toString(), "security", "--offline=true", "--no-pager", UNIT.toString()),
        Map.of("SYSTEMD_COLORS", "0"));
    Matcher m = Pattern.compile("Overall exposure level for cgwatch.service: (\\d+\\.\\d+) ").matcher(r.out());
    assertTrue(m.find(), r.out() + r.err());
    assertEquals(DOCUMENTED_EXPOSURE, Double.parseDouble(m.group(1)), r.out());
    String doc = Files.readString(Tools.repo().resolve("docs/scrape-target.md"));
    assertTrue(doc.contains("exposure level " + m.group(1)), "docs/scrape-target.md must quote the score " + m.group(1));
  }

  @Test
  void execStartIsAServeCommandLineThatParsesWithTheShippedConfig() throws Exception {
    String exec = Files.readAllLines(UNIT).stream().filter(l -> l.startsWith("ExecStart=")).findFirst()
        .orElseGet(() -> fail("no ExecStart"));
    List<String> words = Arrays.asList(exec.substring("ExecStart=".length()).split(" "));
    assertEquals("/usr/bin/cgwatch", words.get(0));
    assertEquals(List.of("serve", "--config", "/etc/cgwatch/cgwatch.yml"), words.subList(1, words.size()));
    CommandLine.ParseResult parsed = Cli.commandLine(CliRunner.FIXED)
        .parseArgs(words.subList(1, words.size()).toArray(String[]::new));
    assertEquals("serve", parsed.subcommand().commandSpec().name());
    // The config file the package installs at that path: YAML that serve's own loader accepts, keys and values.
    ServeConfig c = ServeConfig.load(CONFIG);
    assertEquals(":9756", c.listen());
    assertEquals("15s", c.interval());
    CliRunner.Result check = CliRunner.run("diagnose", "--config", CONFIG.toString(), "--host-root",
        io.cgwatch.support.Fixtures.host("unified-6.1-clean").toString());
    assertEquals(0, check.exitCode(), check.err());
  }

  private static Path systemdAnalyze() {
    return Tools.onPath("systemd-analyze").orElseGet(() -> fail("systemd-analyze is not installed: apt-get install "
        + "systemd (./test does)"));
  }
}
