package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that cgwatch writes nothing: {@code diagnose}, {@code capture}, {@code serve} and {@code replay} run
 * on the live host with every mount of the host bind-mounted read-only in a private mount namespace
 * ({@code unshare -m}, {@code mount --rbind}, {@code remount,bind,ro}), under {@code strace -f} of every call that
 * can create, open for writing, truncate, link, rename or remove a file. Each traced call must be a read-only
 * open, or land under {@code capture}'s OUT. Exemptions: the JVM's own start-up write to /proc/self/coredump_filter
 * (its perf-data file is switched off with -XX:-UsePerfData, the only other file a JVM writes), and the two files
 * serve's native reader makes and removes again directly in $TMPDIR when JNA loads (its unpacked library and
 * libffi's trampoline file): removed in the same trace, or they count.
 */
@Tag("live") // the live host's kernel: skip with -DexcludedGroups=live (README, Tests)
class ReadOnlyProofTest {
  private static final Pattern WRITE_OPEN = Pattern.compile("O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND");
  private static final Pattern CALL = Pattern.compile("^\\d+\\s+(\\w+)\\((.*)$");
  private static final Pattern UNLINK_RESUMED = Pattern.compile("^(\\d+)\\s+<\\.\\.\\. unlink(?:at)? resumed>");
  private static final Pattern FIRST_PATH = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  record Traced(String command, long calls, List<String> writes) {}

  static String whyNot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "unshare -m and mount need root";
    }
    for (String tool : List.of("unshare", "strace", "mount")) {
      if (Reliability.onPath(tool) == null) {
        return tool + " is not installed (./test installs it)";
      }
    }
    return null;
  }

  /** Every traced call that could write, with its path; read-only opens are dropped. */
  static Traced check(String command, Path trace, Path allowed) throws Exception {
    return check(command, trace, allowed, null);
  }

  /**
   * The same, where a file directly in {@code tempDir} that the command made and removed again (JNA's unpacked
   * dispatch library and libffi's trampoline file, when serve loads its native reader) is no write: nothing is left.
   * Only files removed in the same trace, only directly in the temp dir: a file it leaves, anywhere, still counts.
   */
  static Traced check(String command, Path trace, Path allowed, Path tempDir) throws Exception {
    List<String> lines = Files.readAllLines(trace);
    java.util.Set<String> removed = new java.util.HashSet<>();
    // strace splits a call another thread interrupts: "PID unlink(\"f\" <unfinished ...>", later
    // "PID <... unlink resumed>) = 0". The path is on the first line, the result on the second.
    java.util.Map<String, String> unfinished = new java.util.HashMap<>();
    for (String line : lines) {
      Matcher resumed = UNLINK_RESUMED.matcher(line);
      if (resumed.find()) {
        String path = unfinished.remove(resumed.group(1));
        if (path != null && line.endsWith(") = 0")) {
          removed.add(path);
        }
        continue;
      }
      Matcher m = CALL.matcher(line);
      if (m.find() && m.group(1).startsWith("unlink")) {
        Matcher p = FIRST_PATH.matcher(m.group(2));
        if (!p.find()) {
          continue;
        }
        if (m.group(2).endsWith(") = 0")) {
          removed.add(p.group(1));
        } else if (m.group(2).endsWith("<unfinished ...>")) {
          unfinished.put(line.substring(0, line.indexOf(' ')), p.group(1));
        }
      }
    }
    List<String> writes = new ArrayList<>();
    long calls = 0;
    for (String line : lines) {
      Matcher m = CALL.matcher(line);
      if (!m.find()) {
        continue; // "+++ exited", resumed/unfinished fragments carry no new call
      }
      calls++;
      String call = m.group(1);
      String args = m.group(2);
      boolean open = call.startsWith("open") || call.equals("creat");
      if (open && !WRITE_OPEN.matcher(args).find() && !call.equals("creat")) {
        continue;
      }
      Matcher p = FIRST_PATH.matcher(args);
      String path = p.find() ? p.group(1) : "?";
      if (path.equals("/proc/self/coredump_filter")) {
        continue; // the JVM sets its own core-dump filter at start-up; not a file cgwatch writes
      }
      if (allowed != null && (path.startsWith(allowed.toString() + "/") || path.equals(allowed.toString()))) {
        continue;
      }
      if (tempDir != null && removed.contains(path) && tempDir.equals(Path.of(path).getParent())) {
        continue; // made and removed again in the temp dir: nothing left behind
      }
      writes.add(line);
    }
    return new Traced(command, calls, writes);
  }

  static Reliability.Run underReadOnlyRoot(Path work, Path trace, String shellCommand, Duration timeout)
      throws Exception {
    Path script = work.resolve("readonly_root.sh");
    if (!Files.exists(script)) {
      Files.write(script, ReadOnlyProofTest.class.getResourceAsStream("/reliability/readonly_root.sh").readAllBytes());
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    // TMPDIR: the script's mount point is made here, so the test's temp dir removes it afterwards.
    return Reliability.run(List.of("unshare", "-m", "--propagation", "private", script.toString(),
        trace.toString(), "sh", "-c", shellCommand), java.util.Map.of("TMPDIR", work.toString()), null, timeout);
  }

  /** The temp-dir exemption on traces as strace writes them, split calls included; what is left still counts. */
  @Test
  void onlyFilesMadeAndRemovedAgainInTheTempDirAreExempt(@TempDir Path dir) throws Exception {
    Path tmp = dir.resolve("tmp");
    Path trace = dir.resolve("serve.trace");
    Files.write(trace, List.of(
        "638   openat(AT_FDCWD, \"" + tmp + "/ffiHoCyLY\", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 11",
        "638   unlink(\"" + tmp + "/ffiHoCyLY\" <unfinished ...>",
        "640   openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3",
        "638   <... unlink resumed>) = 0",
        "638   openat(AT_FDCWD, \"" + tmp + "/jna123.tmp\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 12",
        "638   unlink(\"" + tmp + "/jna123.tmp\") = 0",
        "638   openat(AT_FDCWD, \"" + tmp + "/left-behind\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 13",
        "638   openat(AT_FDCWD, \"" + tmp + "/failed-removal\", O_WRONLY|O_CREAT, 0666) = 14",
        "638   unlink(\"" + tmp + "/failed-removal\" <unfinished ...>",
        "638   <... unlink resumed>) = -1 EBUSY (Device or resource busy)",
        "638   openat(AT_FDCWD, \"" + dir + "/elsewhere\", O_WRONLY|O_CREAT, 0666) = 15",
        "638   unlink(\"" + dir + "/elsewhere\") = 0"));
    List<String> writes = check("serve", trace, null, tmp).writes();
    assertEquals(5, writes.size(), String.join("\n", writes));
    assertTrue(writes.stream().anyMatch(w -> w.contains("left-behind")), "a file left behind counts");
    assertTrue(writes.stream().filter(w -> w.contains("failed-removal")).count() == 2, "a failed removal counts");
    assertTrue(writes.stream().filter(w -> w.contains("elsewhere")).count() == 2, "outside the temp dir counts");
    assertEquals(9, check("serve", trace, null, null).writes().size(), "without the temp dir, every write counts");
  }

  @Test
  void serveDiagnoseCaptureAndReplayWriteNothingOutsideOut(@TempDir Path work) throws Exception {
    String why = whyNot();
    if (why != null) {
      System.out.println("SKIPPED ReadOnlyProofTest: " + why);
      Assumptions.abort(why);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java") + " -XX:-UsePerfData -Xmx256m -jar "
        + ServeProcess.jar();
    Path out = work.resolve("capture-out");
    List<Traced> results = new ArrayList<>();

    Reliability.Run diagnose = underReadOnlyRoot(work, work.resolve("diagnose.trace"),
        java + " diagnose --json --host-root \"$CGWATCH_RO_ROOT\"", Duration.ofSeconds(120));
    assertTrue(diagnose.exit() <= 2, "diagnose on the read-only root: " + diagnose.exit() + diagnose.err());
    assertTrue(diagnose.out().contains("\"schema_version\""), diagnose.out());
    results.add(check("diagnose", work.resolve("diagnose.trace"), null));

    Reliability.Run capture = underReadOnlyRoot(work, work.resolve("capture.trace"),
        java + " capture --host-root \"$CGWATCH_RO_ROOT\" " + out, Duration.ofSeconds(180));
    assertTrue(capture.exit() <= 1, "capture: " + capture.exit() + capture.out() + capture.err());
    assertTrue(Files.exists(out.resolve("CAPTURED")), "the capture was written to OUT");
    results.add(check("capture", work.resolve("capture.trace"), out));

    Reliability.Run replay = underReadOnlyRoot(work, work.resolve("replay.trace"), java + " replay " + out,
        Duration.ofSeconds(120));
    assertTrue(replay.exit() <= 2, "replay: " + replay.exit() + replay.err());
    results.add(check("replay", work.resolve("replay.trace"), null));

    int port = FaultsTest.freePort();
    Reliability.Run serve = underReadOnlyRoot(work, work.resolve("serve.trace"), "(" + java
        + " serve --listen 127.0.0.1:" + port + " --interval 2s --host-root \"$CGWATCH_RO_ROOT\" &"
        + " pid=$!; i=0; until curl -sf http://127.0.0.1:" + port + "/metrics | grep -q '^cgwatch_up 1.0'; do"
        + " i=$((i+1)); [ $i -lt 600 ] || break; sleep 0.1; done; [ $i -lt 600 ] && echo up;"
        + " curl -sf http://127.0.0.1:" + port + "/api/v1/snapshot | grep -c schema_version; kill -TERM $pid;"
        + " wait $pid)",
        Duration.ofSeconds(120));
    assertEquals("up\n1", serve.out().strip(), "serve scraped with cgwatch_up 1 on the read-only root: "
        + serve.err());
    Traced served = check("serve", work.resolve("serve.trace"), null, work);
    // curl and grep run in the same traced shell and write nothing either (no -o, no redirection).
    results.add(served);

    // The check itself can fail: a command that does write is caught.
    Reliability.Run canary = underReadOnlyRoot(work, work.resolve("canary.trace"), "touch " + work.resolve("canary"),
        Duration.ofSeconds(30));
    assertEquals(0, canary.exit(), canary.err());
    assertEquals(1, check("canary", work.resolve("canary.trace"), null).writes().size(), "touch is a write");

    for (Traced t : results) {
      System.out.println("READONLY " + t.command() + ": " + t.calls() + " traced calls, " + t.writes().size()
          + " writes outside OUT");
    }
    for (Traced t : results) {
      assertEquals(List.of(), t.writes(), t.command() + " opened for writing, created, renamed or removed");
    }
  }
}
