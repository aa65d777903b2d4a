package io.cgwatch.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cgwatch.agent.cli.CliRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** diagnose --json of a host root, with the fields that differ by design between a host and its capture removed. */
final class CaptureJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Inodes are the copy's own on disk; the time and duration of the scan are the scan's own. */
  static final Set<String> BY_DESIGN = Set.of("inode", "taken_at", "duration_seconds");

  private CaptureJson() {}

  static JsonNode diagnose(Path hostRoot, Set<String> drop) {
    CliRunner.Result r = hostRoot == null
        ? CliRunner.run("diagnose", "--json")
        : CliRunner.run("diagnose", "--json", "--host-root", hostRoot.toString());
    if (r.exitCode() == 3) {
      throw new AssertionError("diagnose of " + hostRoot + " failed: " + r.err());
    }
    try {
      JsonNode doc = JSON.readTree(r.out());
      strip(doc, drop);
      return doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void strip(JsonNode node, Set<String> drop) {
    if (node instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (drop.contains(e.getKey())) {
          it.remove();
        } else {
          strip(e.getValue(), drop);
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(n -> strip(n, drop));
    }
  }

  static void assertSameJson(JsonNode expected, JsonNode actual) {
    try {
      assertEquals(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
