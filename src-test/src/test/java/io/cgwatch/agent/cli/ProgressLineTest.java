package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import io.cgwatch.support.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line of {@code diagnose --samples N} and {@code capture}: on a terminal (a real pseudo-terminal from
 * util-linux's {@code script}) it shows and is erased before the result; piped, nothing of it appears.
 */
class ProgressLineTest {
  private static final String HOST = Fixtures.host("unified-6.1-dying").toString();
  private static final String ERASE = "\r\033[K";

  private static List<String> cgwatch(String... args) {
    List<String> cmd = new ArrayList<>(List.of(OneLineErrorsTest.java(), "-XX:-UsePerfData", "-jar",
        OneLineErrorsTest.jar().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs on a pseudo-terminal: what the terminal received (stdout and stderr, as a user sees them). */
  private static OneLineErrorsTest.Run onTerminal(List<String> cmd) throws Exception {
    Path script = Tools.onPath("script").orElseThrow(() -> new AssertionError("util-linux's script is missing"));
    String line = String.join(" ", cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qec", line, "/dev/null");
    pb.environment().put("TERM", "xterm");
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    return new OneLineErrorsTest.Run(p.exitValue(), out);
  }

  private static String piped(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    return out;
  }

  @Test
  void diagnoseSamplesShowProgressOnATerminalOnly() throws Exception {
    List<String> cmd = cgwatch("diagnose", "--samples", "3", "--interval", "300ms", "--no-color", "--host-root",
        HOST);
    OneLineErrorsTest.Run tty = onTerminal(cmd);
    assertEquals(0, tty.exit(), tty.err());
    assertTrue(tty.err().contains("\rsample 1 of 3 done; next in 300ms"), tty.err());
    assertTrue(tty.err().contains("\rsample 2 of 3 done"), tty.err());
    int erased = tty.err().lastIndexOf(ERASE);
    assertTrue(erased >= 0 && erased < tty.err().indexOf("OK: no alert fires"), "erased before the report: "
        + tty.err());

    String pipe = piped(cmd);
    assertFalse(pipe.contains("\r") || pipe.contains("sample 1 of"), "nothing of it when piped:\n" + pipe);
    assertTrue(pipe.startsWith("OK: no alert fires"), pipe);
  }

  @Test
  void captureShowsProgressOnATerminalOnly(@TempDir Path tmp) throws Exception {
    OneLineErrorsTest.Run tty = onTerminal(cgwatch("capture", tmp.resolve("a").toString(), "--host-root", HOST));
    assertEquals(0, tty.exit(), tty.err());
    assertTrue(tty.err().contains("\rcapturing: "), tty.err());
    assertTrue(tty.err().contains(ERASE + "captured "), "erased before the summary: " + tty.err());

    String pipe = piped(cgwatch("capture", tmp.resolve("b").toString(), "--host-root", HOST));
    assertFalse(pipe.contains("\r") || pipe.contains("capturing:"), pipe);
    assertTrue(pipe.startsWith("captured "), pipe);
  }
}
