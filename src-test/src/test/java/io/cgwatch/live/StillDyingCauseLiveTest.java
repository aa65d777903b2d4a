package io.cgwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Why still dying" on the running kernel: a child of P writes S MiB to a file on a block file system and is
 * removed before the data is written back. Its dirty page cache keeps it dying, so diagnose must name P's cause
 * {@code dirty_page_cache} and advise {@code sync} first. After {@code sync} the same pages are clean: the cause
 * becomes {@code page_cache} and the advice no longer starts with sync. Deleting the file at the end frees the
 * memcg. The kernel writes dirty pages back after {@code dirty_expire_centisecs} (30 s by default) unless memory
 * is short; the first diagnose runs well within that, and the test records what it saw if writeback came first.
 */
@Tag("live")
class StillDyingCauseLiveTest {
  private static final long S = 16L << 20;

  static List<LiveHierarchy> memoryHierarchies() {
    return Live.orSkip("StillDyingCauseLiveTest", LiveHierarchy.withMemory(),
        "a memory hierarchy (cgroup v1 memory, or cgroup v2 with memory enabled at the root)");
  }

  @ParameterizedTest(allowZeroInvocations = true)
  @MethodSource("memoryHierarchies")
  void theCauseAndTheAdviceFollowDirtyThenCleanPageCache(LiveHierarchy h) throws Exception {
    Path files = Files.createTempDirectory(Path.of(System.getProperty("real.kernel.scratch", "/var/tmp")),
        "cgwatch-test-why");
    try (TestCgroup cg = TestCgroup.create(h, "why")) {
      RealKernelResults r = new RealKernelResults("why still dying", cg);
      cg.mkdir("job-1");
      cg.runIn("job-1", "head -c " + S + " /dev/urandom > " + TestCgroup.quote(files.resolve("out")));
      TestCgroup.rmdir(cg.dir.resolve("job-1")); // no sync: its dirty pages keep it dying
      JsonNode dirty = parent(Live.diagnose(), h, cg);
      long dirtyBytes = dirty.get("file_dirty_bytes").asLong() + dirty.get("file_writeback_bytes").asLong();
      r.note("dirty + writeback page cache at P before sync", Long.toString(dirtyBytes));
      if (dirtyBytes > 0) {
        r.that("cause before sync", "dirty_page_cache", dirty.get("cause").asText(),
            dirty.get("cause").asText().equals("dirty_page_cache"));
        r.that("advice before sync", "says sync first", dirty.get("advice").asText(),
            dirty.get("advice").asText().contains("run sync first"));
      } else {
        r.note("cause before sync", "the kernel wrote the pages back first: " + dirty.get("cause").asText());
      }
      TestCgroup.sh("sync");
      JsonNode clean = parent(Live.diagnose(), h, cg);
      r.equal("dirty + writeback page cache at P after sync", 0,
          clean.get("file_dirty_bytes").asLong() + clean.get("file_writeback_bytes").asLong());
      r.within("page cache at P after sync", S, 0.10, clean.get("file_bytes").asLong());
      r.that("cause after sync", "page_cache", clean.get("cause").asText(),
          clean.get("cause").asText().equals("page_cache"));
      String advice = clean.get("advice").asText();
      r.that("advice after sync", h.version() == 1 ? "drop_caches, no sync first" : "reclaim, no sync first",
          advice, !advice.contains("run sync first")
              && advice.contains(h.version() == 1 ? "drop_caches" : "memory.reclaim"));
    } finally {
      try (Stream<Path> s = Files.walk(files)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f); // truncating the file uncharges its pages: the dying memcg can go
        }
      }
    }
  }

  /** P's entry of {@code still_dying.parents}. */
  private static JsonNode parent(JsonNode report, LiveHierarchy h, TestCgroup cg) {
    String hier = Live.hierarchyName(report, h);
    for (JsonNode p : report.get("still_dying").get("parents")) {
      if (p.get("hierarchy").asText().equals(hier) && p.get("path").asText().equals(cg.path())) {
        return p;
      }
    }
    System.out.println(cg.dump());
    throw new AssertionError("no still_dying entry for " + cg.path() + " in " + report.get("still_dying"));
  }
}
