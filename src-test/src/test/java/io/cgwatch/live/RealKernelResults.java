package io.cgwatch.live;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * What one live scenario expected and what cgwatch reported, one row per quantity, written before the assertion
 * so a failing number is on record too. Rows go to
 * {@code <real.kernel.results>/<scenario>--<kernel>--<where>--<mount>.tsv}
 * (default {@code target/real-kernel-results}); {@code .ci/real-kernel-report.py} turns every such file into
 * {@code docs/real-kernel-results.md}. A failed check prints the test cgroup's files before it fails.
 */
final class RealKernelResults {
  private static final Set<Path> STARTED = new HashSet<>(); // files this JVM has truncated

  private final String scenario;
  private final TestCgroup cgroup;
  private final Path file;

  RealKernelResults(String scenario, TestCgroup cgroup) {
    this.scenario = scenario;
    this.cgroup = cgroup;
    Path dir = Path.of(System.getProperty("real.kernel.results", "target/real-kernel-results"));
    // one file per scenario, kernel, machine and mount: several guests share one results directory
    String slug = (kernel() + "--" + System.getProperty("real.kernel.where", "build machine") + "--"
        + cgroup.hierarchy.mount()).replaceAll("[^A-Za-z0-9.]+", "_");
    this.file = dir.resolve(scenario.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase() + "--" + slug + ".tsv");
    synchronized (STARTED) {
      if (STARTED.add(file)) {
        write(String.join("\t", "kernel", "where", "hierarchy", "scenario", "quantity", "expected", "reported",
            "result") + "\n", false);
      }
    }
  }

  void equal(String quantity, long expected, long reported) {
    check(quantity, Long.toString(expected), Long.toString(reported), expected == reported);
  }

  void within(String quantity, long expected, double share, long reported) {
    check(quantity, expected + " ± " + Math.round(share * 100) + "%", Long.toString(reported),
        Math.abs(reported - expected) <= expected * share);
  }

  void atMost(String quantity, long bound, long reported) {
    check(quantity, "≤ " + bound, Long.toString(reported), reported <= bound);
  }

  void atLeast(String quantity, long bound, long reported) {
    check(quantity, "≥ " + bound, Long.toString(reported), reported >= bound);
  }

  void that(String quantity, String expected, String reported, boolean holds) {
    check(quantity, expected, reported, holds);
  }

  /** A figure recorded for the reader, with nothing to assert (e.g. what the kernel has no file for). */
  void note(String quantity, String reported) {
    row(quantity, "-", reported, "noted");
  }

  private void check(String quantity, String expected, String reported, boolean holds) {
    row(quantity, expected, reported, holds ? "pass" : "FAIL");
    if (!holds) {
      System.out.println(cgroup.dump());
      fail(scenario + " on " + cgroup.hierarchy + ": " + quantity + ": expected " + expected + ", cgwatch reported "
          + reported);
    }
  }

  private void row(String quantity, String expected, String reported, String result) {
    write(String.join("\t", kernel(), System.getProperty("real.kernel.where", "build machine"),
        cgroup.hierarchy.describe(), scenario, quantity, expected, reported, result) + "\n", true);
  }

  private void write(String text, boolean append) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String kernel() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
