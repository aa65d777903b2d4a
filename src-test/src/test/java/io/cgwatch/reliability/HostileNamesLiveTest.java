package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.exporters.text.TerminalSafe;
import io.cgwatch.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile cgroup names made for real in the build machine's cgroup2 mount ({@code /sys/fs/cgroup/unified}, no
 * controllers, so nothing is charged): quotes, backslash, tab, CR, ESC, brace, hash, spaces, bytes that are not
 * UTF-8, 255 bytes, and {@code x"} 1 fake}, which tries to close a label value and start a sample. The kernel
 * refuses newlines there; {@link HostileNamesFixtureTest} covers those. Every output must stay well formed and
 * name each cgroup, escaped, exactly once.
 */
@Tag("live")
class HostileNamesLiveTest {
  private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<byte[]> NAMES = List.of(
      b("quote\"name"), b("back\\slash"), b("tab\tname"), b("cr\rname"), b("esc\u001b[31mred"), b("brace}name"),
      b("hash#name"), b("with spaces name"), b("x\"} 1 fake"), b("close{\"}=,"),
      new byte[] {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, 'u', 't', 'f', '8'},
      new byte[] {'l', 'o', 'n', 'e', (byte) 0xc3}, // a truncated 2-byte sequence
      b("n".repeat(255)));

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void hostileNamesInTheLiveCgroup2MountStayWellFormedEverywhere() throws Exception {
    String why = LiveCgroups.whyNotWritableCgroup2(UNIFIED);
    if (why != null) {
      System.out.println("SKIPPED HostileNamesLiveTest: " + why);
      Assumptions.abort(why);
    }
    String parent = "cgwatch-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    LiveCgroups groups = LiveCgroups.make(UNIFIED.resolve(parent), NAMES);
    try {
      Set<String> expected = new TreeSet<>();
      for (byte[] n : NAMES) {
        expected.add("/" + parent + "/" + new String(n, StandardCharsets.UTF_8)); // how the JVM decodes it
      }
      checkJson(parent, expected, CliRunner.run("diagnose", "--json").out());
      checkText(CliRunner.run("diagnose").out(), Set.of()); // nothing dying there: the names are not listed
      checkExposition(parent, expected, CliRunner.run("diagnose", "--format", "openmetrics").out(), false);
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      try (Serve serve = Reliability.start(Reliability.settings(HostRoots.of(Path.of("/")), Duration.ofHours(1)),
          log)) {
        Reliability.awaitReady(serve);
        serve.pollNow();
        var r = Reliability.get(serve.port(), "/metrics");
        assertEquals(200, r.statusCode());
        checkExposition(parent, expected, r.body(), true);
        var snap = Reliability.get(serve.port(), "/api/v1/snapshot");
        checkJson(parent, expected, snap.body());
      }
      // As a service manager starts it: no LANG, so a POSIX locale (the JVM then cannot encode a non-ASCII path;
      // this failed the whole scan with InvalidPathException before the reader kept the listing's raw path).
      Path jar = Fixtures.dir().resolve("../agent/target/cgwatch.jar").normalize();
      Reliability.Run posix = Reliability.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-jar", jar.toString(), "diagnose", "--format", "openmetrics"),
          Map.of("LC_ALL", "POSIX", "LANG", "", "LC_CTYPE", "POSIX"), null, Duration.ofSeconds(120));
      assertTrue(posix.exit() <= 2, "diagnose under a POSIX locale exited " + posix.exit() + ": " + posix.err());
      assertFalse(posix.err().contains("Exception"), posix.err());
      long ours = Reliability.parseExposition(posix.out()).stream()
          .filter(s -> s.name().equals("cgwatch_cgroup_descendants")
              && s.labels().getOrDefault("cgroup", "").startsWith("/" + parent + "/"))
          .count();
      assertEquals(NAMES.size(), ours, "under a POSIX locale every hostile cgroup is still exported");
    } finally {
      groups.remove();
    }
  }

  static void checkJson(String parent, Set<String> expected, String json) throws Exception {
    JsonNode doc = JSON.readTree(json); // valid JSON, or this throws
    Set<String> seen = new TreeSet<>();
    for (JsonNode c : doc.get("cgroups")) {
      if (c.get("path").asText().startsWith("/" + parent + "/")) {
        seen.add(c.get("path").asText());
      }
    }
    assertEquals(expected, seen, "the JSON report round-trips every name");
  }

  /** No raw control character anywhere; each of {@code shown} (cgroup names) appears escaped. */
  static void checkText(String text, Set<String> shown) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      assertFalse((c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x202e,
          "raw control character " + (int) c + " in the text report:\n" + text);
    }
    for (String name : shown) {
      assertTrue(text.contains(TerminalSafe.escape(name)), "text report names " + TerminalSafe.escape(name)
          + ":\n" + text);
    }
  }

  static void checkExposition(String parent, Set<String> expected, String body, boolean promtool)
      throws Exception {
    List<io.cgwatch.support.ExpositionParser.Sample> samples = Reliability.parseExposition(body);
    for (io.cgwatch.support.ExpositionParser.Sample s : samples) {
      assertTrue(s.name().startsWith("cgwatch_") || io.cgwatch.support.RuntimeFamilies.isRuntimeSample(s.name()),
          "only cgwatch series (and the agent's own process_* and jvm_*), no injected ones: " + s);
    }
    Set<String> exported = samples.stream().filter(s -> s.name().equals("cgwatch_cgroup_descendants"))
        .map(s -> s.labels().getOrDefault("cgroup", "")).filter(c -> c.startsWith("/" + parent + "/"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, exported, "each hostile cgroup is one series with its name as the label value");
    if (promtool) {
      Reliability.promtoolClean("live host with hostile names", body);
    }
  }

  /** Cgroups this test made under a {@code cgwatch-test-<random>} parent, removed also on failure. */
  static final class LiveCgroups {
    private final Path parent;
    private final List<byte[]> names;

    private LiveCgroups(Path parent, List<byte[]> names) {
      this.parent = parent;
      this.names = names;
    }

    static String whyNotWritableCgroup2(Path mount) throws Exception {
      boolean cgroup2 = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .anyMatch(l -> l.contains(" " + mount + " ") && l.contains(" - cgroup2 "));
      if (!cgroup2) {
        return mount + " is not a cgroup2 mount here";
      }
      if (!Files.isWritable(mount)) {
        return "cannot create cgroups in " + mount + " (not root)";
      }
      if (Reliability.onPath("python3") == null) {
        return "python3 is needed to mkdir names that are not UTF-8";
      }
      return null;
    }

    static LiveCgroups make(Path parent, List<byte[]> names) throws Exception {
      LiveCgroups g = new LiveCgroups(parent, names);
      Reliability.Run r = g.helper("mkdir");
      if (r.exit() != 0) {
        g.remove();
        throw new AssertionError("cannot make the test cgroups: " + r.err());
      }
      return g;
    }

    void remove() throws Exception {
      Reliability.Run r = helper("rmdir");
      assertEquals(0, r.exit(), "removing " + parent + ": " + r.err());
    }

    private Reliability.Run helper(String action) throws Exception {
      Path script = Files.createTempFile("cgroup_names", ".py");
      try {
        Files.write(script, HostileNamesLiveTest.class.getResourceAsStream("/reliability/cgroup_names.py")
            .readAllBytes());
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), action, parent.toString()));
        for (byte[] n : names) {
          cmd.add(HexFormat.of().formatHex(n));
        }
        return Reliability.run(cmd, null, null, Duration.ofSeconds(30));
      } finally {
        Files.deleteIfExists(script);
      }
    }
  }
}
