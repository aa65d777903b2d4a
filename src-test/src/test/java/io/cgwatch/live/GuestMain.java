package io.cgwatch.live;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the live tests in one JVM inside a qemu guest of {@code .ci/real-kernel.sh} (cgroup v2 with the memory
 * controller, or {@code -Dreal.kernel.cgroup=v1}: the v1 memory controller only), where Maven would cost minutes
 * under TCG. The same classes run on the build machine through
 * {@code mvn verify}; each picks the hierarchies the kernel it runs on has. Exit status: 0 only if tests ran and
 * none failed, was skipped or was aborted — in the guest every one of them must run.
 */
public final class GuestMain {
  private GuestMain() {}

  public static void main(String[] args) throws Exception {
    // VM_CGROUP=v1 guests have only the v1 memory controller: targeted reclaim (memory.reclaim) is v2 only
    boolean v1Only = "v1".equals(System.getProperty("real.kernel.cgroup", "v2"));
    LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectPackage("io.cgwatch.live"))
        // compares a hybrid host's v1 memory hierarchy with /proc/cgroups: no guest is hybrid
        .filters(ClassNameFilter.excludeClassNamePatterns(".*\\.LiveHybridHostTest"));
    // -Dreal.kernel.tests=REGEX runs only the matching classes (one scenario in a guest while working on it)
    String only = System.getProperty("real.kernel.tests");
    if (only != null) {
      builder.filters(ClassNameFilter.includeClassNamePatterns(only));
    }
    if (!v1Only) {
      builder.selectors(selectClass(Class.forName("io.cgwatch.agent.reclaim.ReclaimLiveKernelTest")));
    }
    LauncherDiscoveryRequest request = builder.build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    TestExecutionListener progress = new TestExecutionListener() {
      private long started;

      @Override
      public void executionStarted(TestIdentifier id) {
        started = System.nanoTime();
      }

      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
          System.out.println(result.getStatus() + String.format(" in %.1f s  ", (System.nanoTime() - started) / 1e9)
              + id.getLegacyReportingName() + "  ("
              + id.getUniqueIdObject().getSegments().get(1).getValue() + ")"
              + result.getThrowable().map(t -> "\n    " + t).orElse(""));
        }
      }

      @Override
      public void executionSkipped(TestIdentifier id, String reason) {
        System.out.println("SKIPPED  " + id.getDisplayName() + ": " + reason);
      }
    };
    launcher.execute(request, summary, progress);
    TestExecutionSummary s = summary.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    s.printTo(out);
    s.printFailuresTo(out, 30);
    boolean ok = s.getTestsSucceededCount() > 0 && s.getTotalFailureCount() == 0 && s.getTestsSkippedCount() == 0
        && s.getTestsAbortedCount() == 0;
    System.exit(ok ? 0 : 1);
  }
}
