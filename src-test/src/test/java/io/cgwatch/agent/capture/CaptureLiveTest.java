package io.cgwatch.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures the live host ({@code /}, read-only) and checks that diagnose on the capture sees the host diagnose
 * sees live: kernel, mode, hierarchies, capabilities, and every cgroup path. The values that move on their own
 * between two readings (dying counts, memory charges, pressure) are left out; cgroups created or removed between
 * the readings make an attempt retry.
 */
@Tag("live")
@EnabledIf(value = "v1MemoryMounted", disabledReason = "needs a live v1 memory hierarchy at /sys/fs/cgroup/memory")
class CaptureLiveTest {
  private static final int ATTEMPTS = 5;
  /**
   * Moves on its own, or differs by design (inodes, time). MemTotal moves on this VM (a memory balloon), so it is
   * left out; the other host facts (OSHI live, the copied files in the capture) and every capability,
   * memory.reclaim included (a placeholder keeps its presence), must match.
   */
  private static final Set<String> MOVING = Set.of("inode", "taken_at", "duration_seconds", "dying_cgroups",
      "dying_memory_cgroups", "orphaned_memory", "memcg_ids", "memory", "pressure", "pids", "nr_dying_descendants",
      "nr_dying_subsys", "nr_descendants", "nr_subsys", "populated", "visible_leaks", "verdict", "alerts",
      "idle_seconds", "last_activity", "scan");

  static boolean v1MemoryMounted() {
    return Files.isRegularFile(Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
  }

  @Test
  void captureOfTheLiveHostDiagnosesLikeTheLiveHost(@TempDir Path tmp) {
    StringBuilder tries = new StringBuilder();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Path out = tmp.resolve("live-" + attempt);
      JsonNode before = CaptureJson.diagnose(null, MOVING);
      CaptureCommandTest.Run r = CaptureCommandTest.capture(out.toString());
      JsonNode after = CaptureJson.diagnose(null, MOVING);
      assertEquals(0, r.exitCode(), r.err());
      JsonNode captured = CaptureJson.diagnose(out, MOVING);
      JsonNode capturedFull = CaptureJson.diagnose(out, Set.of());
      assertEquals(0, capturedFull.get("scan").get("errors").size(), capturedFull.get("scan").toString());
      assertEquals("hybrid", captured.get("host").get("cgroup_mode").asText());
      assertTrue(captured.get("cgroups").size() > 1, "the capture holds cgroups");
      if (describe(before).equals(describe(after))) {
        String expected = describe(before);
        String actual = describe(captured);
        if (expected.equals(actual)) {
          assertStructureEquals(before, captured);
          return;
        }
        tries.append("attempt ").append(attempt).append(": live and capture differ\n");
        if (attempt == ATTEMPTS) {
          assertEquals(expected, actual);
        }
      } else {
        tries.append("attempt ").append(attempt).append(": the live host changed during the capture: ")
            .append(firstDifference(describe(before), describe(after))).append('\n');
      }
    }
    throw new AssertionError("the live host never held still for a capture:\n" + tries);
  }

  private static String firstDifference(String a, String b) {
    String[] x = a.split("\n");
    String[] y = b.split("\n");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (!x[i].equals(y[i])) {
        return x[i] + " -> " + y[i];
      }
    }
    return x.length + " lines -> " + y.length + " lines";
  }

  private static void assertStructureEquals(JsonNode live, JsonNode captured) {
    CaptureJson.assertSameJson(live.get("host"), captured.get("host"));
    CaptureJson.assertSameJson(live.get("capabilities"), captured.get("capabilities"));
    CaptureJson.assertSameJson(live.get("hierarchies"), captured.get("hierarchies"));
    assertEquals(paths(live), paths(captured));
  }

  /** Everything compared, as one string (so a failed attempt can be retried and the last one shown). */
  private static String describe(JsonNode doc) {
    ObjectNode d = doc.deepCopy();
    return String.join("\n", List.of(String.valueOf(d.get("host")), String.valueOf(d.get("capabilities")),
        String.valueOf(d.get("hierarchies")), String.join("\n", paths(d))));
  }

  private static List<String> paths(JsonNode doc) {
    Set<String> seen = new HashSet<>();
    TreeSet<String> out = new TreeSet<>();
    doc.get("cgroups").forEach(c -> {
      String p = c.get("hierarchy").asText() + ":" + c.get("path").asText();
      if (seen.add(p)) {
        out.add(p);
      }
    });
    return new ArrayList<>(out);
  }
}
