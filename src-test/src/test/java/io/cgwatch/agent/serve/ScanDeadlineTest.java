package io.cgwatch.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.ForwardingControlFiles;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan deadline on reads that never return, made deterministic: a file access whose reads of chosen files block
 * until released, as open(2) of a FIFO or a read of a hung FUSE file does (uninterruptibly: interrupts are ignored).
 */
class ScanDeadlineTest {
  /** Reads of files named in {@code hanging} block until {@link #release}. */
  static final class Hanging extends ForwardingControlFiles {
    final Set<String> hanging = ConcurrentHashMap.newKeySet();
    final CountDownLatch released = new CountDownLatch(1);
    final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public String read(Path file) throws IOException {
      reads.incrementAndGet();
      if (hanging.contains(file.getParent().getFileName() + "/" + file.getFileName())) {
        while (true) {
          try {
            released.await();
            break;
          } catch (InterruptedException ignored) {
            // as the kernel does in open(2) of a FIFO: not interruptible
          }
        }
      }
      return super.read(file);
    }

    void release() {
      released.countDown();
    }
  }

  private static Path tree(Path root) {
    HostTree t = HostTree.unified(root).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 5\nnr_dying_descendants 3\n");
    for (String c : new String[] {"a", "b", "c", "d", "e"}) {
      t.cgroup("/" + c).file("memory.current", "4096\n").file("cgroup.stat", "nr_descendants 0\n");
    }
    return root;
  }

  @Test
  void aStuckReadIsAbandonedThenSkippedAndStuckThreadsAreBounded(@TempDir Path tmp) throws Exception {
    HostRoots roots = HostRoots.of(tree(tmp));
    Hanging real = new Hanging();
    ScanDeadline deadline = new ScanDeadline(Duration.ofMillis(300));
    ControlFiles files = deadline.files(real);
    CgroupScanner scanner = new CgroupScanner(files);
    Clock clock = Clock.systemUTC();
    try {
      real.hanging.add("a/memory.current");
      ScanDeadline.ScanTimeoutException t = assertThrows(ScanDeadline.ScanTimeoutException.class,
          () -> deadline.run(() -> scanner.scan(roots, ScanOptions.DEFAULTS, clock)));
      assertEquals("memory.current", t.file());
      assertTrue(t.getMessage().contains(tmp.resolve("sys/fs/cgroup/a/memory.current").toString()), t.getMessage());
      assertEquals(1, deadline.stuckThreads());

      // the next scan runs, skips the stuck file with a timeout error, and reads everything else
      HostSnapshot s = deadline.run(() -> scanner.scan(roots, ScanOptions.DEFAULTS, clock));
      assertEquals(6, s.cgroups().size());
      ScanError e = s.scan().errors().stream().filter(x -> x.kind() == ScanError.Kind.TIMEOUT).findFirst()
          .orElseThrow(() -> new AssertionError(s.scan().errors().toString()));
      assertEquals("/sys/fs/cgroup/a", e.path());
      assertEquals("memory.current", e.file());
      assertEquals(1, deadline.stuckThreads(), "the skipped file costs no second thread");

      // a hung filesystem where every file hangs: one thread per file, at most MAX_STUCK_THREADS, then no scan
      real.hanging.addAll(Set.of("b/memory.current", "c/memory.current", "d/memory.current", "e/memory.current"));
      for (int i = 1; i < ScanDeadline.MAX_STUCK_THREADS; i++) {
        assertThrows(ScanDeadline.ScanTimeoutException.class,
            () -> deadline.run(() -> scanner.scan(roots, ScanOptions.DEFAULTS, clock)));
      }
      assertEquals(ScanDeadline.MAX_STUCK_THREADS, deadline.stuckThreads());
      long readsBefore = real.reads.get();
      ScanDeadline.ScanTimeoutException capped = assertThrows(ScanDeadline.ScanTimeoutException.class,
          () -> deadline.run(() -> scanner.scan(roots, ScanOptions.DEFAULTS, clock)));
      assertTrue(capped.getMessage().contains("4 scan threads are stuck"), capped.getMessage());
      assertEquals(readsBefore, real.reads.get(), "no scan is started (no new thread) while at the bound");
    } finally {
      real.release();
    }
    // the filesystem answers again: the stuck threads end, and scans read everything
    for (int i = 0; i < 100 && deadline.stuckThreads() > 0; i++) {
      Thread.sleep(20);
    }
    assertEquals(0, deadline.stuckThreads());
    real.hanging.clear();
    HostSnapshot s = deadline.run(() -> scanner.scan(roots, ScanOptions.DEFAULTS, clock));
    assertEquals(6, s.cgroups().size());
    assertTrue(s.scan().errors().isEmpty(), s.scan().errors().toString());
    deadline.close();
  }
}
