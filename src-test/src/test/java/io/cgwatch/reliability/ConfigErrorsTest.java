package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad values in flags and config files: durations past Long.MAX_VALUE or past what the timers take (they threw
 * ArithmeticException or NumberFormatException out of picocli as a stack trace), zero scan timeouts; and SIGHUP, which
 * used to end the JVM with 129 and no word.
 */
class ConfigErrorsTest {
  @Test
  void overflowingDurationsNameTheFlagOrKey(@TempDir Path tmp) throws Exception {
    String host = Fixtures.host("unified-6.1-clean").toString();
    for (String[] c : new String[][] {
        {"--interval", "99999999999999999999s"}, {"--interval", "106751991167301d"}, {"--scan-timeout", "0s"},
        {"--leak-threshold", "9999999999999h"}, {"--root-memory-stat-budget", "1ms1ms" + "9".repeat(30) + "d"}}) {
      CliRunner.Result r = CliRunner.run("serve", "--listen", "127.0.0.1:0", "--host-root", host, c[0], c[1]);
      assertNotEquals(0, r.exitCode(), String.join(" ", c));
      String err = r.err();
      assertTrue(err.contains(c[0]) || err.contains("scan timeout"), "names the flag: " + err);
      assertTrue(err.contains("too long") || err.contains("must be positive"), err);
      assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }
    Path config = tmp.resolve("cgwatch.yml");
    Files.writeString(config, "alerts:\n  rules:\n    DyingCgroupsHigh: {for: 99999999999999999999m}\n");
    CliRunner.Result r = CliRunner.run("serve", "--listen", "127.0.0.1:0", "--host-root", host, "--config",
        config.toString());
    assertNotEquals(0, r.exitCode());
    assertTrue(r.err().contains("alerts.rules.DyingCgroupsHigh.for") && r.err().contains("too long"), r.err());
    CliRunner.Result d = CliRunner.run("diagnose", "--interval", "99999999999999999999s", "--host-root", host);
    assertEquals(3, d.exitCode(), d.err());
    assertTrue(d.err().contains("too long"), d.err());
  }

  @Test
  void sighupReloadsTheConfigAndABadOneKeepsTheRunningSettings(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("cgwatch.yml");
    Files.writeString(config, "interval: 1s\n");
    List<String> cmd = ServeProcess.java("-Xmx128m");
    cmd.addAll(List.of("serve", "--listen", "127.0.0.1:0", "--config", config.toString(), "--host-root",
        Fixtures.host("unified-6.1-dying").toString()));
    try (ServeProcess serve = ServeProcess.start(cmd, null)) {
      Files.writeString(config, "interval: 2s\nmax_cgroups: 7\n");
      new ProcessBuilder("kill", "-HUP", Long.toString(serve.process.pid())).start().waitFor();
      String started = awaitLog(serve, l -> l.contains("cgwatch serve started") && l.contains("\"max_cgroups\":7"));
      assertTrue(started.contains("\"interval_seconds\":2.0"), started);
      assertTrue(serve.process.isAlive(), "SIGHUP must not end serve");
      Matcher m = Pattern.compile("\"listen\":\"[^\"]*:(\\d+)\"").matcher(started);
      assertTrue(m.find(), started);
      int port = Integer.parseInt(m.group(1));
      assertEquals(200, Reliability.get(port, "/healthz").statusCode());

      Files.writeString(config, "interval: 2s\nno_such_key: 1\n");
      new ProcessBuilder("kill", "-HUP", Long.toString(serve.process.pid())).start().waitFor();
      String kept = awaitLog(serve, l -> l.contains("keeping the running settings"));
      assertTrue(kept.contains("no_such_key"), kept);
      assertEquals(200, Reliability.get(port, "/healthz").statusCode(), "still serving on the old settings");
    }
  }

  private static String awaitLog(ServeProcess serve, java.util.function.Predicate<String> line) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      for (String l : new ArrayList<>(serve.log)) {
        if (line.test(l)) {
          return l;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such log line within 30 s:\n" + String.join("\n", serve.log));
  }
}
