package io.cgwatch.live;

import static io.cgwatch.live.Live.count;
import static io.cgwatch.live.Live.labels;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7, scenario 4: a cgroup removed and made again at the same path between two scans is a new cgroup (the
 * kernel gives it a new inode): cgwatch counts one recreation, one removal and one birth under its parent, reports
 * the new inode, and starts the new cgroup's own counters from zero (its {@code memory.events} and
 * {@code memory.stat} event counts are the new cgroup's, not the old one's).
 */
@Tag("live")
class RecreationTest {
  static List<LiveHierarchy> hierarchies() {
    return Live.orSkip("RecreationTest", LiveHierarchy.writable(), "a cgroup hierarchy");
  }

  @ParameterizedTest(allowZeroInvocations = true)
  @MethodSource("hierarchies")
  void samePathNewInodeIsARecreation(LiveHierarchy h) throws Exception {
    try (TestCgroup cg = TestCgroup.create(h, "recreate");
        LiveServe serve = LiveServe.start(Duration.ofSeconds(15), false, Duration.ofHours(1), Map.of())) {
      RealKernelResults r = new RealKernelResults("recreation", cg);
      serve.scanNow(); // P exists before the first counted birth
      Path child = cg.mkdir("worker");
      if (h.memory()) {
        cg.runIn("worker", "true"); // the old incarnation has some activity of its own
      }
      serve.scanNow();
      String hier = Live.hierarchyName(serve.snapshot(), h);
      long oldInode = Live.cgroup(serve.snapshot(), hier, cg.path("worker")).get("inode").asLong();

      TestCgroup.rmdir(child);
      Files.createDirectory(child);
      long kernelInode = (long) Files.getAttribute(child, "unix:ino");
      serve.scanNow();
      Samples m = serve.metrics();
      JsonNode now = Live.cgroup(serve.snapshot(), hier, cg.path("worker"));

      r.that("inode of the new cgroup", "≠ " + oldInode, Long.toString(now.get("inode").asLong()),
          now.get("inode").asLong() != oldInode && now.get("inode").asLong() == kernelInode);
      r.equal("recreated under P (cgwatch_cgroups_recreated_total)", 1,
          count(m.value("cgwatch_cgroups_recreated_total", labels(hier, "parent", cg.path()))));
      r.equal("removed under P (the old incarnation)", 1,
          count(m.value("cgwatch_cgroups_removed_total", labels(hier, "parent", cg.path()))));
      r.equal("created under P (the new incarnation)", 2,
          count(m.value("cgwatch_cgroups_created_total", labels(hier, "parent", cg.path()))));
      if (h.version() == 2 && h.memory()) {
        long pgfault = now.get("memory").get("stat").get("pgfault").asLong();
        r.equal("pgfault of the new cgroup (its counters start again)", 0, pgfault);
      }
    }
  }
}
