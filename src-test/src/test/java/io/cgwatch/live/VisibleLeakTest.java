package io.cgwatch.live;

import static io.cgwatch.live.Live.count;
import static io.cgwatch.live.Live.labels;

import com.fasterxml.jackson.databind.JsonNode;
import io.cgwatch.agent.alert.RuleOverride;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7, scenario 5: an empty, childless cgroup left alone for longer than the (lowered) leak threshold is a
 * visible leak, reported with its path, counted under its parent and alerted on (VisibleCgroupLeak, threshold
 * lowered to one); it is not a zombie. A sibling with a process in it, and a parent of a live child, are not leaks.
 */
@Tag("live")
class VisibleLeakTest {
  private static final Duration THRESHOLD = Duration.ofSeconds(2);

  static List<LiveHierarchy> hierarchies() {
    return Live.orSkip("VisibleLeakTest", LiveHierarchy.writable(), "a cgroup hierarchy");
  }

  @ParameterizedTest(allowZeroInvocations = true)
  @MethodSource("hierarchies")
  void anIdleEmptyCgroupIsAVisibleLeakNotAZombie(LiveHierarchy h) throws Exception {
    Map<String, RuleOverride> rules = Map.of("VisibleCgroupLeak",
        new RuleOverride(true, 0.0, 0.0, Duration.ZERO, "warning"));
    try (TestCgroup cg = TestCgroup.create(h, "leak");
        LiveServe serve = LiveServe.start(Duration.ofSeconds(15), false, THRESHOLD, rules)) {
      Process sleeper = null;
      try {
        RealKernelResults r = new RealKernelResults("visible leak", cg);
        cg.mkdir("abandoned");
        cg.mkdir("busy");
        cg.mkdir("holder");
        cg.mkdir("holder/inner");
        // a process that stays in "busy" for the whole test
        sleeper = new ProcessBuilder("sh", "-c", "echo $$ > " + TestCgroup.quote(cg.dir.resolve("busy/cgroup.procs"))
            + " && exec sleep 60").start();
        awaitPopulated(cg);
        // kernfs stamps a directory and each file in it when their inodes are first made, at the first lookup
        // after mkdir, not at the mkdir (seen on 6.1 and 6.18). A creator that sets limits or attaches looks them up
        // at once; do the same here, or the idle time would start at cgwatch's own first scan.
        for (String d : List.of("abandoned", "holder", "holder/inner")) {
          Files.getLastModifiedTime(cg.dir.resolve(d));
          Files.getLastModifiedTime(cg.dir.resolve(d).resolve("cgroup.procs"));
        }
        Thread.sleep(THRESHOLD.toMillis() + 1_000);
        serve.scanNow();
        serve.scanNow();
        JsonNode snap = serve.snapshot();
        String hier = Live.hierarchyName(snap, h);
        List<String> leaks = new ArrayList<>();
        snap.get("visible_leaks").forEach(l -> {
          if (l.get("hierarchy").asText().equals(hier) && l.get("path").asText().startsWith(cg.path() + "/")) {
            leaks.add(l.get("path").asText());
          }
        });
        leaks.sort(null);
        List<String> expected = List.of(cg.path("abandoned"), cg.path("holder/inner"));
        r.that("visible leaks under P (/api/v1/snapshot)", expected.toString(), leaks.toString(),
            leaks.equals(expected));
        Samples m = serve.metrics();
        r.equal("empty cgroups directly under P (cgwatch_empty_cgroups)", 1,
            count(m.value("cgwatch_empty_cgroups", labels(hier, "parent", cg.path()))));
        r.equal("empty cgroups under P/holder (cgwatch_empty_cgroups)", 1,
            count(m.value("cgwatch_empty_cgroups", labels(hier, "parent", cg.path("holder")))));
        r.equal("VisibleCgroupLeak firing for P (cgwatch_alert)", 1, count(m.value("cgwatch_alert",
            Map.of("alertname", "VisibleCgroupLeak", "alertstate", "firing", "cgroup", cg.path()))));
        r.equal("zombies under P", 0, count(m.value("cgwatch_zombie_cgroups", labels(hier, "parent", cg.path()))));
      } finally { // before the cgroup is removed: "busy" cannot go while the sleeper is in it
        if (sleeper != null) {
          sleeper.destroy();
          sleeper.waitFor();
        }
      }
    }
  }

  /** The sleeper's shell must have moved itself in before the scans look. */
  private static void awaitPopulated(TestCgroup cg) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (!Files.readString(cg.dir.resolve("busy/cgroup.procs")).isBlank()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the sleeper never joined " + cg.path("busy"));
  }
}
