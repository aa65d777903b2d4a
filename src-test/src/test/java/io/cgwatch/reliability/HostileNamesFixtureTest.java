package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.fixtures.HostTree;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names the kernel refuses in a live cgroup2 mount but a fixture tree (a capture, a bind mount, a FUSE view)
 * can carry: newlines, and a name that is a whole exposition line ({@code x"} 1\nfake_metric 1}). Beside them
 * the live test's set, plus DEL, U+2028, a bidi override and 255 characters. The exposition is checked by a
 * strict parser and by {@code promtool check metrics}; JSON must round-trip each name; the text report must
 * carry no raw control character.
 */
class HostileNamesFixtureTest {
  static final List<String> NAMES = List.of("x\"} 1\nfake_metric 1", "two\nlines", "end\n", "quote\"name",
      "back\\slash", "tab\tname", "cr\rname", "esc\u001b[31mred", "del\u007fname", "brace}name", "hash#name",
      "with spaces name", "x\"} 1 fake", "ls\u2028name", "bidi\u202eexe.txt", "n".repeat(255),
      "# HELP cgwatch_up fake", "cgwatch_up{} 0");

  @Test
  void namesWithNewlinesAndExpositionLinesStayInsideTheirLabel(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp).kernel("6.12.0");
    // The first four have dying descendants, so the text report's subtree table lists them by name.
    t.cgroup("/").file("cgroup.stat", "nr_descendants " + (NAMES.size() + 1) + "\nnr_dying_descendants 10\n");
    t.cgroup("/hostile").file("cgroup.stat", "nr_descendants " + NAMES.size() + "\nnr_dying_descendants 10\n");
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < NAMES.size(); i++) {
      t.cgroup("/hostile/" + NAMES.get(i)).file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants "
          + Math.max(0, 4 - i) + "\n");
      expected.add("/hostile/" + NAMES.get(i));
    }
    String root = tmp.toString();
    HostileNamesLiveTest.checkJson("hostile", expected, CliRunner.run("diagnose", "--json", "--host-root", root)
        .out());
    HostileNamesLiveTest.checkText(CliRunner.run("diagnose", "--host-root", root).out(), Set.copyOf(NAMES.subList(0, 4)));
    HostileNamesLiveTest.checkExposition("hostile", expected, CliRunner.run("diagnose", "--format", "openmetrics",
        "--host-root", root).out(), false);
    try (Serve serve = Reliability.start(Reliability.settings(HostRoots.of(tmp), Duration.ofHours(1)),
        new ByteArrayOutputStream())) {
      Reliability.awaitReady(serve);
      var r = Reliability.get(serve.port(), "/metrics");
      assertEquals(200, r.statusCode());
      HostileNamesLiveTest.checkExposition("hostile", expected, r.body(), true);
      long up = Reliability.parseExposition(r.body()).stream().filter(s -> s.name().equals("cgwatch_up")).count();
      assertEquals(1, up, "one cgwatch_up, not one per name that pretends to be it");
    }
  }
}
