package io.cgwatch.live;

import static io.cgwatch.live.Live.count;
import static io.cgwatch.live.Live.labels;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17, event-driven lifecycle: {@value #JOBS} jobs, each a cgroup made, charged with {@value #S_MIB} MiB of
 * page cache (a file written on a block file system), emptied and removed, plus {@value #EMPTY} empty cgroups made
 * and removed, all between two scans of {@code serve} with its inotify watcher (scans only on demand, so every one
 * of them lives less than one interval). v2: the removals the kernel still counts dying under P
 * ({@code nr_dying_descendants}) are named at their former paths (at least 99%), with the page cache read when
 * {@code cgroup.events} said {@code populated 0} (within 2% of what was written). v1: births and removals are
 * counted, and no empty cgroup is named a zombie.
 */
@Tag("live")
class ShortLivedJobsTest {
  private static final int JOBS = 20;
  private static final int EMPTY = 3;
  private static final int S_MIB = 8;
  private static final long S = (long) S_MIB << 20;
  /** How long after its last task left a job's cgroup is removed (a job manager's rmdir; TCG guests are slow). */
  private static final Duration EMPTY_TO_RMDIR = Duration.ofMillis(500);
  private static final long WATCH_WAIT_NANOS = 60_000_000_000L;

  static List<LiveHierarchy> memoryHierarchies() {
    return Live.orSkip("ShortLivedJobsTest", LiveHierarchy.withMemory(), "a memory hierarchy");
  }

  @ParameterizedTest(allowZeroInvocations = true)
  @MethodSource("memoryHierarchies")
  void jobsShorterThanOneIntervalAreNamedWithTheirChargesAtDeath(LiveHierarchy h) throws Exception {
    Path files = Files.createTempDirectory(Path.of(System.getProperty("real.kernel.scratch", "/var/tmp")),
        "cgwatch-test-short");
    try (TestCgroup cg = TestCgroup.create(h, "short");
        LiveServe serve = LiveServe.start(Duration.ofHours(1), false, Duration.ofHours(1), Map.of(), true)) {
      RealKernelResults r = new RealKernelResults("short-lived jobs", cg);
      serve.scanNow();
      serve.scanNow(); // two observations: lifecycle is reported from now on
      String hier = Live.hierarchyName(serve.snapshot(), h);
      Map<String, String> underP = labels(hier, "parent", cg.path());

      // Wait until P is watched: a probe made and removed at once can only be counted through an event.
      long waitStart = System.nanoTime();
      cg.mkdir("probe");
      TestCgroup.rmdir(cg.dir.resolve("probe"));
      while (count(serve.metrics().value("cgwatch_cgroups_created_total", underP)) < 1) {
        if (System.nanoTime() - waitStart > WATCH_WAIT_NANOS) {
          String watch = serve.metricsText().lines().filter(l -> l.startsWith("cgwatch_watch")).toList() + " "
              + serve.log().lines().filter(l -> l.contains("watch")).toList();
          r.that("the watcher saw a probe cgroup under P", "within 60 s", "no: " + watch, false);
        }
        Thread.sleep(200);
        serve.scanNow();
      }
      r.note("time until the watcher had P registered", String.format("%.1f s",
          (System.nanoTime() - waitStart) / 1e9));
      long createdBefore = count(serve.metrics().value("cgwatch_cgroups_created_total", underP));
      long removedBefore = count(serve.metrics().value("cgwatch_cgroups_removed_total", underP));

      List<String> jobs = new ArrayList<>();
      List<String> empties = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 1; i <= JOBS; i++) {
        String job = "job-" + i;
        cg.mkdir(job);
        cg.runIn(job, "head -c " + S + " /dev/urandom > " + TestCgroup.quote(files.resolve(job)));
        Thread.sleep(EMPTY_TO_RMDIR.toMillis()); // the shell has exited: the cgroup is empty
        TestCgroup.rmdir(cg.dir.resolve(job));
        jobs.add(cg.path(job));
      }
      for (int i = 1; i <= EMPTY; i++) {
        cg.mkdir("empty-" + i);
        TestCgroup.rmdir(cg.dir.resolve("empty-" + i));
        empties.add(cg.path("empty-" + i));
      }
      double lived = (System.nanoTime() - start) / 1e9;
      Thread.sleep(500); // an empty memcg is freed by an RCU callback shortly after rmdir
      serve.scanNow(); // the first scan since the jobs were born: all of them lived between two scans
      Samples m = serve.metrics();
      JsonNode snap = serve.snapshot();
      r.note("all " + (JOBS + EMPTY) + " cgroups made and removed between two scans, in", String.format("%.1f s",
          lived));

      r.equal("cgroups created under P between two scans (cgwatch_cgroups_created_total)", JOBS + EMPTY,
          count(m.value("cgwatch_cgroups_created_total", underP)) - createdBefore);
      r.equal("cgroups removed under P between two scans (cgwatch_cgroups_removed_total)", JOBS + EMPTY,
          count(m.value("cgwatch_cgroups_removed_total", underP)) - removedBefore);
      r.equal("watcher fallback (cgwatch_watch_fallback)", 0, count(m.value("cgwatch_watch_fallback", Map.of())));
      r.atLeast("directories watched (cgwatch_watches)", 2, count(m.value("cgwatch_watches", Map.of())));

      Map<String, JsonNode> zombies = new HashMap<>();
      snap.get("lifecycle").get("zombies").forEach(z -> {
        if (z.get("hierarchy").asText().equals(hier) && z.get("path").asText().startsWith(cg.path() + "/")) {
          zombies.put(z.get("path").asText(), z);
        }
      });
      Set<String> namedEmpty = new TreeSet<>(empties);
      namedEmpty.retainAll(zombies.keySet());
      if (h.version() == 2) {
        long dying = Live.cgroup(snap, hier, cg.path()).get("nr_dying_descendants").asLong();
        Set<String> ours = new TreeSet<>(jobs);
        ours.addAll(empties);
        Set<String> attributed = new TreeSet<>(zombies.keySet());
        attributed.retainAll(ours);
        r.note("removed cgroups still dying under P (nr_dying_descendants)", Long.toString(dying));
        r.that("dying removals attributed to their former path (named zombies / nr_dying_descendants at P)",
            "≥ 99%", attributed.size() + " of " + dying, dying > 0 && attributed.size() >= Math.ceil(0.99 * dying)
                && attributed.size() <= dying);
        r.atLeast("jobs with page cache named as zombies", Math.min(JOBS, dying),
            jobs.stream().filter(zombies::containsKey).count());
        int atPopulated0 = 0;
        long worst = S; // the named job's page cache furthest from S
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (String job : jobs) {
          JsonNode z = zombies.get(job);
          if (z == null) {
            continue;
          }
          if ("populated_0".equals(z.get("charges_at").asText())) {
            atPopulated0++;
          }
          long file = z.get("charged_file_bytes").asLong();
          worst = Math.abs(file - S) > Math.abs(worst - S) ? file : worst;
          min = Math.min(min, file);
          max = Math.max(max, file);
        }
        r.note("page cache at death of the named jobs, smallest and largest (charged_file_bytes)", min + " / " + max);
        r.equal("named jobs whose charges at death were read at populated 0 (charges_at)",
            jobs.stream().filter(zombies::containsKey).count(), atPopulated0);
        r.within("page cache at death, the named job furthest from " + S_MIB + " MiB (charged_file_bytes)", S,
            0.02, worst);
      } else {
        r.that("removed empty cgroups named as zombies (v1)", "none", namedEmpty.toString(), namedEmpty.isEmpty());
        r.note("jobs named as zombies (v1: no charge at death is readable without cgroup.events, so never named)",
            Long.toString(jobs.stream().filter(zombies::containsKey).count()));
      }
    } finally {
      try (Stream<Path> s = Files.walk(files)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
