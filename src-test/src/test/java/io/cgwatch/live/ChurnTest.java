package io.cgwatch.live;

import static io.cgwatch.live.Live.count;
import static io.cgwatch.live.Live.labels;

import io.cgwatch.support.Promtool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7, scenario 3: {@code serve} scanning every 100 ms while this test creates and removes 5,000 cgroups in
 * batches of 100. Even batches are held until two scans have finished (so one whole scan saw them); odd batches are
 * removed at once, often while a scan is reading them. Expected: no scan error (vanished cgroups are counted, not
 * errors), created and removed counters that agree with what was done (at most 5,000; at least the held ones;
 * removed = created once all are gone), no error or exception in the log, and every {@code /metrics} along the way
 * a valid exposition (and clean for {@code promtool check metrics} where promtool is installed).
 */
@Tag("live")
class ChurnTest {
  private static final int BATCH = 100;
  /**
   * 5,000 on the build machine. The qemu guest runs under TCG, where each scan of a few hundred cgroups takes
   * seconds, so .ci/guest/live-tests.sh asks for fewer (recorded with the results).
   */
  private static final int TOTAL = Integer.getInteger("real.kernel.churn", 5_000) / BATCH * BATCH;

  static List<LiveHierarchy> hierarchies() {
    return Live.orSkip("ChurnTest", LiveHierarchy.writable(), "a cgroup hierarchy");
  }

  @ParameterizedTest(allowZeroInvocations = true)
  @MethodSource("hierarchies")
  void countsAgreeWithWhatWasDoneAndNoScanFails(LiveHierarchy h) throws Exception {
    Random random = new Random(7);
    try (TestCgroup cg = TestCgroup.create(h, "churn");
        LiveServe serve = LiveServe.start(Duration.ofMillis(100), true, Duration.ofHours(1), Map.of())) {
      RealKernelResults r = new RealKernelResults("churn", cg);
      Samples start = serve.awaitScans(2); // P exists before the first counted birth
      String hier = Live.hierarchyName(serve.snapshot(), h);
      double errorsBefore = start.sum("cgwatch_scan_errors_total");
      double failedBefore = start.value("cgwatch_scans_total", Map.of("result", "failure"));
      int held = 0;
      int exposition = 0;
      long begin = System.nanoTime();
      for (int b = 0; b < TOTAL / BATCH; b++) {
        List<Path> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
          batch.add(cg.mkdir("c" + b + "-" + i));
        }
        if (b % 2 == 0) {
          serve.awaitScans(2);
          checkExposition(serve.metricsText(), ++exposition);
          held += BATCH;
        }
        Collections.shuffle(batch, random);
        for (Path c : batch) {
          TestCgroup.rmdir(c);
        }
        if ((b + 1) % 10 == 0) {
          System.out.printf("churn on %s: %d of %d cgroups after %.1f s%n", h, (b + 1) * BATCH, TOTAL,
              (System.nanoTime() - begin) / 1e9);
        }
      }
      double seconds = (System.nanoTime() - begin) / 1e9;
      Samples end = serve.awaitScans(2);
      checkExposition(serve.metricsText(), ++exposition);

      long created = count(end.value("cgwatch_cgroups_created_total", labels(hier, "parent", cg.path())));
      long removed = count(end.value("cgwatch_cgroups_removed_total", labels(hier, "parent", cg.path())));
      r.note("cgroups created and removed by the test", TOTAL + " in " + String.format("%.1f s", seconds)
          + ", " + held + " held across two scans");
      r.note("scans while churning", Long.toString(count(end.value("cgwatch_scans_total",
          Map.of("result", "success")) - start.value("cgwatch_scans_total", Map.of("result", "success")))));
      r.atMost("created under P (cgwatch_cgroups_created_total)", TOTAL, created);
      r.atLeast("created under P (cgwatch_cgroups_created_total)", held, created);
      r.equal("removed under P = created under P", created, removed);
      r.equal("recreated under P", 0,
          count(end.value("cgwatch_cgroups_recreated_total", labels(hier, "parent", cg.path()))));
      r.equal("scan errors during the churn (cgwatch_scan_errors_total)", 0,
          Math.round(end.sum("cgwatch_scan_errors_total") - errorsBefore));
      r.equal("failed scans during the churn", 0,
          Math.round(end.value("cgwatch_scans_total", Map.of("result", "failure")) - failedBefore));
      r.note("cgroups vanished mid-read (cgwatch_scan_vanished_total)",
          Long.toString(count(end.value("cgwatch_scan_vanished_total", Map.of()))));
      List<String> bad = serve.log().lines()
          .filter(l -> l.contains("\"level\":\"error\"") || l.contains("Exception")).toList();
      r.that("error or exception lines in serve's log", "none", bad.isEmpty() ? "none" : bad.toString(),
          bad.isEmpty());
      r.atLeast("/metrics expositions parsed (and promtool-checked where installed)", TOTAL / BATCH / 2 + 1,
          exposition);
    }
  }

  /** Parses strictly; promtool too when installed (the host has it in CI, the guest sees the host's /usr). */
  private static void checkExposition(String text, int n) throws Exception {
    Samples.parse(text);
    if (n % 10 == 1 && Promtool.available()) {
      Promtool.checkClean("/metrics during the churn", text);
    }
  }
}
