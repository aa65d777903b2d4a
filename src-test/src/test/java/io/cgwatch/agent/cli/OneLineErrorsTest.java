package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import io.cgwatch.support.OneLine;
import io.cgwatch.support.Tools;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error a user can cause is one line on stderr, {@code cgwatch <command>: ...}, naming the thing and what is
 * wrong, with exit 3 (docs/cli.md, "Errors and exit codes"): no usage dump, no stack trace, no Java class names.
 * serve adds the same problem as one JSON log line.
 */
class OneLineErrorsTest {
  private static final String HOST = Fixtures.host("unified-6.1-dying").toString();

  static String oneLine(String err) {
    return OneLine.of(err);
  }

  @Test
  void anUnknownOptionIsOneLineWithASuggestionAndExit3() {
    CliRunner.Result r = CliRunner.run("diagnose", "--max-dept", "2", "--host-root", HOST);
    assertEquals(3, r.exitCode());
    String line = oneLine(r.err());
    assertTrue(line.startsWith("cgwatch diagnose: "), line);
    assertTrue(line.contains("--max-dept") && line.contains("--max-depth") && line.contains("--help"), line);
  }

  @Test
  void anUnknownConfigKeyNamesTheFileTheKeyAndTheLine(@TempDir Path tmp) throws Exception {
    Path config = Files.writeString(tmp.resolve("cgwatch.yml"), "interval: 15s\nmax_dpeth: 3\n");
    CliRunner.Result r = CliRunner.run("diagnose", "--config", config.toString(), "--host-root", HOST);
    assertEquals(3, r.exitCode());
    String line = oneLine(r.err());
    assertTrue(line.contains(config.toString()) && line.contains("unknown key 'max_dpeth'"), line);
    assertTrue(line.contains("max_depth"), "lists the known keys: " + line);
  }

  @Test
  void aConfigValueOfTheWrongKindAndBrokenYamlAreOneLine(@TempDir Path tmp) throws Exception {
    Path wrong = Files.writeString(tmp.resolve("wrong.yml"), "max_depth: [1, 2]\n");
    CliRunner.Result r = CliRunner.run("diagnose", "--config", wrong.toString(), "--host-root", HOST);
    assertEquals(3, r.exitCode());
    assertTrue(oneLine(r.err()).contains("'max_depth' at line 1: expected a whole number"), r.err());

    Path broken = Files.writeString(tmp.resolve("broken.yml"), "interval: \"15s\nmax_depth: 3\n");
    r = CliRunner.run("diagnose", "--config", broken.toString(), "--host-root", HOST);
    assertEquals(3, r.exitCode());
    assertTrue(oneLine(r.err()).contains(broken + ": not valid YAML at line"), r.err());

    r = CliRunner.run("diagnose", "--config", tmp.resolve("missing.yml").toString(), "--host-root", HOST);
    assertEquals(3, r.exitCode());
    assertTrue(oneLine(r.err()).contains("missing.yml: no such file;"), r.err());
  }

  @Test
  void aCaptureTargetThatCannotBeWrittenIsOneLine(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    CliRunner.Result r = CliRunner.run("capture", file.resolve("out").toString(), "--host-root", HOST);
    assertEquals(3, r.exitCode());
    String line = oneLine(r.err());
    assertTrue(line.startsWith("cgwatch capture: ") && line.contains(file.toString()), line);
    assertTrue(line.endsWith(": not a directory"), line);
  }

  @Test
  void aCaptureTargetWithoutPermissionIsOneLine(@TempDir Path tmp) throws Exception {
    if (!"root".equals(System.getProperty("user.name")) || Tools.onPath("setpriv").isEmpty()) {
      System.out.println("SKIPPED aCaptureTargetWithoutPermissionIsOneLine: needs root (to drop to nobody) and "
          + "setpriv; the not-a-directory case above covers the same handler");
      org.junit.jupiter.api.Assumptions.abort("needs root and setpriv");
    }
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.copy(jar(), tmp.resolve("cgwatch.jar"));
    // The host root where nobody can read it: the checkout may be under a home directory nobody cannot enter.
    Path host = tmp.resolve("host");
    Fixtures.copyTree(Fixtures.host("unified-6.1-dying"), host);
    Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
    List<String> cmd = new ArrayList<>(List.of(Tools.onPath("setpriv").get().toString(), "--reuid=nobody",
        "--regid=nogroup", "--clear-groups", "--inh-caps=-all", java(), "-XX:-UsePerfData", "-jar", jar.toString(),
        "capture", readOnly.resolve("out.tar.gz").toString(), "--host-root", host.toString()));
    Run r = run(cmd);
    assertEquals(3, r.exit, r.err);
    String line = oneLine(r.err);
    assertTrue(line.startsWith("cgwatch capture: ") && line.endsWith("out.tar.gz: permission denied"), line);
    assertFalse(Files.exists(readOnly.resolve("out.tar.gz")));
  }

  @Test
  void aPortInUseIsOneLineAndOneJsonLogLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run r = run(List.of(java(), "-XX:-UsePerfData", "-jar", jar().toString(), "serve", "--web.listen-address",
          "127.0.0.1:" + taken.getLocalPort(), "--host-root", HOST));
      assertEquals(3, r.exit, r.err);
      String line = oneLine(r.err);
      assertEquals("cgwatch serve: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use "
          + "(another process has it; pick another with --web.listen-address)", line);
      List<String> json = r.err.lines().filter(l -> l.startsWith("{")).toList();
      assertTrue(json.stream().anyMatch(l -> l.contains("\"level\":\"error\"") && l.contains("already in use")),
          "a JSON log line for log collectors: " + r.err);
    }
  }

  @Test
  void aBadServeConfigIsOneLineAndOneJsonLogLine(@TempDir Path tmp) throws Exception {
    Path config = Files.writeString(tmp.resolve("cgwatch.yml"), "listen: 127.0.0.1:0\ninterval: often\n");
    Run r = run(List.of(java(), "-XX:-UsePerfData", "-jar", jar().toString(), "serve", "--config",
        config.toString(), "--host-root", HOST));
    assertEquals(3, r.exit, r.err);
    String line = oneLine(r.err);
    assertTrue(line.startsWith("cgwatch serve: ") && line.contains("often"), line);
    assertEquals(1, r.err.lines().filter(l -> l.startsWith("{") && l.contains("\"level\":\"error\"")).count(),
        r.err);
  }

  record Run(int exit, String err) {}

  static Path jar() {
    Path jar = Fixtures.dir().resolve("../agent/target/cgwatch.jar").normalize();
    assertTrue(Files.isRegularFile(jar), jar + " is built by the agent module before the tests run");
    return jar;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs to completion (at most 60 s), stdout discarded. */
  static Run run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
          return "(stderr unreadable: " + e.getMessage() + ")";
        }
      });
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished within 60 s: " + cmd);
      return new Run(p.exitValue(), err.get(10, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
  }
}
