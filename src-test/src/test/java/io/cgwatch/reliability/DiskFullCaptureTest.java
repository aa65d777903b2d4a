package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture onto a disk that fills up: a 64 KiB tmpfs, mounted in a private mount namespace of the test's own (so
 * nothing outside the test sees it), takes the capture of a fixture of about 900 KiB. capture must say so in one
 * line naming OUT and the fix, exit 1, and leave a capture that replay refuses as incomplete.
 */
class DiskFullCaptureTest {
  @Test
  void aCaptureOntoAFullDiskIsOneLineAndReplayRefusesIt(@TempDir Path work) throws Exception {
    String why = ReadOnlyProofTest.whyNot(); // root, unshare and mount: the same needs as the read-only proof
    if (why != null) {
      System.out.println("SKIPPED DiskFullCaptureTest: " + why);
      Assumptions.abort(why);
    }
    Path full = Files.createDirectory(work.resolve("full"));
    Path out = full.resolve("out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java") + " -XX:-UsePerfData -Xmx256m -jar "
        + ServeProcess.jar();
    String script = String.join("\n",
        "set -u",
        "mount -t tmpfs -o size=64k cgwatch-test-full " + full + " || exit 90",
        java + " capture --host-root " + Fixtures.host("unified-6.1-dying") + " " + out
            + " >" + work.resolve("capture.out") + " 2>" + work.resolve("capture.err"),
        "echo \"capture-exit=$?\"",
        java + " replay " + out + " >/dev/null 2>" + work.resolve("replay.err"),
        "echo \"replay-exit=$?\"",
        "umount " + full);
    Reliability.Run r = Reliability.run(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script),
        Map.of(), null, Duration.ofSeconds(120));
    assertEquals(0, r.exit(), "the namespace script: " + r.out() + r.err());

    assertTrue(r.out().contains("capture-exit=1\n"), r.out());
    List<String> lines = Files.readAllLines(work.resolve("capture.err"));
    assertEquals(1, lines.size(), "one line: " + lines);
    String line = lines.get(0);
    assertTrue(line.contains(out.toString()) && line.contains("the disk is full: free space or give OUT on another "
        + "filesystem") && line.contains("marked incomplete"), line);
    assertTrue(!line.contains("Exception") && !line.contains("\tat "), line);

    assertTrue(r.out().contains("replay-exit=3\n"), r.out());
    String replay = Files.readString(work.resolve("replay.err"));
    assertTrue(replay.contains("INCOMPLETE CAPTURE") && replay.contains("--allow-incomplete"), replay);
  }
}
