package io.cgwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.cli.CliRunner;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** What the live scenarios share: one-shot diagnose on this kernel, and lookups in cgwatch's JSON report. */
final class Live {
  private Live() {}

  /** Hierarchies for a parameterized live test; prints why when there are none, so a skip shows in the log. */
  static List<LiveHierarchy> orSkip(String test, List<LiveHierarchy> found, String needs) {
    if (found.isEmpty()) {
      System.out.println("SKIPPED " + test + ": needs root and " + needs + "; this kernel has "
          + (LiveHierarchy.writable().isEmpty() ? "none writable" : LiveHierarchy.writable()));
    }
    return found;
  }

  /** {@code cgwatch diagnose --json} of this host, in-process with the real clock. */
  static JsonNode diagnose(String... extra) throws IOException {
    String[] args = new String[extra.length + 2];
    args[0] = "diagnose";
    args[1] = "--json";
    System.arraycopy(extra, 0, args, 2, extra.length);
    CliRunner.Result r = CliRunner.run(Clock.systemUTC(), args);
    if (r.exitCode() == 3) {
      throw new AssertionError("diagnose could not read this host: " + r.err());
    }
    return new ObjectMapper().readTree(r.out());
  }

  /** The name cgwatch gives the hierarchy mounted at {@code h} ({@code unified}, {@code memory}, ...). */
  static String hierarchyName(JsonNode report, LiveHierarchy h) {
    for (JsonNode x : report.get("hierarchies")) {
      if (x.get("mount_point").asText().equals(h.mount().toString())) {
        return x.get("name").asText();
      }
    }
    throw new AssertionError("cgwatch does not list a hierarchy at " + h.mount() + ": " + report.get("hierarchies"));
  }

  /** The report's entry for one cgroup, or null when it was not read. */
  static JsonNode cgroup(JsonNode report, String hierarchy, String path) {
    for (JsonNode c : report.get("cgroups")) {
      if (c.get("hierarchy").asText().equals(hierarchy) && c.get("path").asText().equals(path)) {
        return c;
      }
    }
    return null;
  }

  static Map<String, String> labels(String hierarchy, String key, String value) {
    return Map.of("hierarchy", hierarchy, key, value);
  }

  /** A sample's value as a count; a missing series (NaN) reads as -1 so that it never passes as 0. */
  static long count(double v) {
    return Double.isNaN(v) ? -1 : Math.round(v);
  }
}
