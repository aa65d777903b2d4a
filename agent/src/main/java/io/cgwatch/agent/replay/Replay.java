package io.cgwatch.agent.replay;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.alert.AlertEngine;
import io.cgwatch.agent.alert.RuleOverride;
import io.cgwatch.agent.cycle.Publication;
import io.cgwatch.agent.cycle.ScanCycle;
import io.cgwatch.agent.cycle.Ticker;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.model.Analysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@link ScanCycle} (scanner, tracker, alert engine) over captures of one host taken at different times, as if
 * cgwatch had watched the host then: the clock is each capture's time ({@code CAPTURED}), a cgroup's identity its
 * captured inode ({@code INODES}). Read-only.
 */
public final class Replay {
  /** One capture and what cgwatch made of it. */
  public record Step(Path root, Instant capturedAt, boolean capturedInodes, Analysis analysis) {}

  private Replay() {}

  public static List<Step> run(List<Path> captures, Duration leakThreshold, Map<String, RuleOverride> rules)
      throws IOException {
    return run(captures, leakThreshold, rules, false, w -> { });
  }

  /**
   * @param allowIncomplete read captures without a complete record too, after {@code warn}ing; else an incomplete
   *     one throws {@link io.cgwatch.agent.capture.CaptureRecord.IncompleteException}
   */
  public static List<Step> run(List<Path> captures, Duration leakThreshold, Map<String, RuleOverride> rules,
      boolean allowIncomplete, java.util.function.Consumer<String> warn) throws IOException {
    // Archives are unpacked into a temporary directory for the run, then removed.
    Path unpacked = null;
    List<Path> roots = new ArrayList<>();
    try {
      for (int i = 0; i < captures.size(); i++) {
        Path c = captures.get(i);
        if (Files.isRegularFile(c) && c.getFileName().toString().endsWith(".tar.gz")) {
          unpacked = unpacked != null ? unpacked : Files.createTempDirectory("cgwatch-replay");
          Path dir = unpacked.resolve(Integer.toString(i));
          TarGz.extract(c, dir);
          roots.add(dir);
        } else {
          roots.add(c);
        }
        io.cgwatch.agent.capture.CaptureRecord.require(roots.get(i), c.toString(), allowIncomplete, warn);
      }
      List<Step> steps = runOn(roots, leakThreshold, rules);
      List<Step> named = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) { // report the archive, not the temporary directory
        Step s = steps.get(i);
        named.add(new Step(captures.get(i), s.capturedAt(), s.capturedInodes(), s.analysis()));
      }
      return named;
    } finally {
      if (unpacked != null) {
        try (java.util.stream.Stream<Path> walk = Files.walk(unpacked)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  private static List<Step> runOn(List<Path> roots, Duration leakThreshold, Map<String, RuleOverride> rules)
      throws IOException {
    List<Instant> times = new ArrayList<>();
    for (Path root : roots) {
      times.add(capturedAt(root));
    }
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i).isBefore(times.get(i - 1))) {
        throw new IllegalArgumentException(roots.get(i) + " was captured at " + times.get(i) + ", before "
            + roots.get(i - 1) + " (" + times.get(i - 1) + "): give the captures in time order");
      }
    }
    ManualClock clock = new ManualClock(times.isEmpty() ? Instant.EPOCH : times.get(0));
    Duration longestGap = Duration.ofSeconds(1);
    for (int i = 1; i < times.size(); i++) {
      Duration gap = Duration.between(times.get(i - 1), times.get(i));
      longestGap = gap.compareTo(longestGap) > 0 ? gap : longestGap;
    }
    // The interval is the longest gap, so a slow capture series is not taken for failing scans.
    ScanCycle cycle = ScanCycle.standalone(clock, Ticker.SYSTEM, ScanOptions.DEFAULTS,
        new Analyzer(clock, TrackerSettings.DEFAULTS, leakThreshold), new AlertEngine(clock, rules), false,
        longestGap, "replay");
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      Path root = roots.get(i);
      clock.set(times.get(i));
      boolean inodes = Files.isRegularFile(root.resolve(CapturedInodes.FILE));
      ControlFiles files = inodes ? new CapturedInodes(root) : new NioControlFiles();
      Publication p = cycle.run(HostRoots.of(root), files);
      Analysis a = p.scanned().orElseThrow(() -> new IllegalArgumentException(root + ": cannot scan the capture: "
          + p.failure().orElse("")));
      steps.add(new Step(root, times.get(i), inodes, a));
    }
    return steps;
  }

  /**
   * When a capture was taken: the {@code captured_at} line of its {@code CAPTURED} file (as {@code cgwatch capture}
   * and the fixture tools write it), else the modification time of the capture's directory.
   */
  static Instant capturedAt(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": not a directory");
    }
    Path captured = root.resolve("CAPTURED");
    if (Files.isRegularFile(captured)) {
      for (String line : Files.readAllLines(captured)) {
        if (line.startsWith("captured_at")) {
          String value = line.substring(line.indexOf(':') + 1).trim();
          try {
            return Instant.parse(value);
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(captured + ": cannot read the time '" + value + "'");
          }
        }
      }
    }
    return Files.getLastModifiedTime(root).toInstant();
  }
}
