package io.cgwatch.agent.serve;

import io.cgwatch.agent.cycle.ScanGuard;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.ForwardingControlFiles;
import io.cgwatch.cgroupfs.ReadTimeoutException;
import io.cgwatch.model.HostSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Bounds a scan in time. The scan runs on a worker thread; when it has not returned by the deadline it is
 * abandoned, with the file it was stuck on. A thread in open(2) of a FIFO or a read of a hung FUSE/NFS file cannot
 * be interrupted, so it is left behind, and while it stays stuck later scans skip that one file (a {@code timeout}
 * error) instead of sticking on it too: each stuck file costs at most one thread. At most {@link #MAX_STUCK_THREADS}
 * are left behind; with that many, no scan is started (each could leave another) until one returns, which makes
 * {@link Poller#healthProblem} fail so that a liveness probe or the systemd watchdog restarts the agent.
 *
 * <p>Used by the poller thread only, except {@link #files} which the scan worker calls.
 */
final class ScanDeadline implements ScanGuard {
  static final int MAX_STUCK_THREADS = 4;

  private final Duration timeout;
  /**
   * What each scan worker is in the middle of: the file or directory of its current call. One holder per thread,
   * registered once and reused, so a read costs no map entry and no Path (a by-name read keeps its directory and
   * name; the Path is made only when a deadline passes or a file is stuck).
   */
  private final Map<Thread, Call> inFlight = new ConcurrentHashMap<>();
  private final ThreadLocal<Call> call = ThreadLocal.withInitial(() -> {
    Call c = new Call();
    inFlight.put(Thread.currentThread(), c);
    return c;
  });
  /** Files whose call is still in progress on an abandoned worker. */
  private final Map<Path, Thread> stuck = new ConcurrentHashMap<>();
  private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();
  private ExecutorService worker;
  private Thread workerThread;

  ScanDeadline(Duration timeout) {
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("scan timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  /** A scan, or the reason none was started or it was abandoned. */
  static final class ScanTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;

    ScanTimeoutException(String message, String file) {
      super(message, null, false, false);
      this.file = file;
    }

    /** The file name the abandoned scan was stuck on, or "" when unknown. */
    String file() {
      return file;
    }
  }

  /** Runs {@code scan} on the worker; throws {@link ScanTimeoutException} when it is not done in time. */
  <T> T run(Callable<T> scan) {
    int left = stuckThreads();
    if (left >= MAX_STUCK_THREADS) {
      throw new ScanTimeoutException(left + " scan threads are stuck in reads that never returned (one on "
          + stuck.keySet().stream().findFirst().map(String::valueOf).orElse("an unknown file")
          + "): no new scan until one returns; restart cgwatch if this lasts", "");
    }
    if (worker == null) {
      Thread[] made = new Thread[1];
      worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cgwatch-scan");
        t.setDaemon(true);
        made[0] = t;
        return t;
      });
      try {
        worker.submit(() -> null).get(); // make the thread now, so that its identity is known
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ScanTimeoutException("interrupted", "");
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
      workerThread = made[0];
    }
    Future<T> f = worker.submit(scan);
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      Thread t = workerThread;
      Call c = inFlight.get(t);
      Path at = c == null ? null : c.path();
      abandoned.add(t);
      if (at != null) {
        stuck.put(at, t);
      }
      worker.shutdown(); // the stuck thread ends when its call returns; the next scan gets a new one
      inFlight.keySet().removeIf(dead -> !dead.isAlive());
      worker = null;
      workerThread = null;
      throw new ScanTimeoutException("scan abandoned after " + timeout.toMillis() + " ms: a read did not return"
          + (at != null ? " (" + at + ")" : ""), at == null ? "" : String.valueOf(at.getFileName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScanTimeoutException("interrupted", "");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public HostSnapshot scan(Supplier<HostSnapshot> scan) {
    return run(scan::get);
  }

  @Override
  public boolean counts(Thread reader) {
    return !isAbandoned(reader); // a stuck read returning late is not this scan's
  }

  @Override
  public Optional<String> gaveUp(Throwable e) {
    return e instanceof ScanTimeoutException t ? Optional.of(t.file()) : Optional.empty();
  }

  /** Abandoned scan threads still alive (stuck in a call). */
  int stuckThreads() {
    abandoned.removeIf(t -> !t.isAlive());
    return abandoned.size();
  }

  /** Whether the calling thread is a scan worker that was abandoned: what it still does must not be counted. */
  boolean isAbandoned(Thread t) {
    return abandoned.contains(t);
  }

  /** {@code real} with every call tracked, and files still stuck on an abandoned worker refused at once. */
  @Override
  public ControlFiles files(ControlFiles real) {
    return new ForwardingControlFiles(real) {
      @Override
      public Listing list(Path dir) throws IOException {
        enter(dir);
        try {
          return super.list(dir);
        } finally {
          leave(dir);
        }
      }

      @Override
      public String read(Path file) throws IOException {
        enter(file);
        try {
          return super.read(file);
        } finally {
          leave(file);
        }
      }

      @Override
      public void readInto(Path file, io.cgwatch.cgroupfs.ReadBuffer into) throws IOException {
        enter(file);
        try {
          super.readInto(file, into);
        } finally {
          leave(file);
        }
      }

      @Override
      public void readInto(Path dir, String file, io.cgwatch.cgroupfs.ReadBuffer into) throws IOException {
        enter(dir, file);
        try {
          super.readInto(dir, file, into);
        } finally {
          leave(dir, file);
        }
      }

      @Override
      public String readHostFile(Path file) throws IOException {
        enter(file);
        try {
          return super.readHostFile(file);
        } finally {
          leave(file);
        }
      }

      @Override
      public boolean isDirectory(Path dir) {
        if (stuck.containsKey(dir)) {
          return true; // it is there, and hangs: not a vanished cgroup
        }
        try {
          enter(dir);
        } catch (ReadTimeoutException e) {
          return true;
        }
        try {
          return super.isDirectory(dir);
        } finally {
          leave(dir);
        }
      }

      @Override
      public Subdirectory stat(Path dir) throws IOException {
        enter(dir);
        try {
          return super.stat(dir);
        } finally {
          leave(dir);
        }
      }
    };
  }

  private void enter(Path p) throws ReadTimeoutException {
    enter(p, null);
  }

  /** A call on {@code dir}, or on its file {@code file} when not null. */
  private void enter(Path dir, String file) throws ReadTimeoutException {
    Thread me = Thread.currentThread();
    if (abandoned.contains(me)) {
      throw new AbandonedScan(); // the rest of an abandoned scan: end it, nobody waits for it
    }
    // isEmpty first: none is stuck almost always, and then no Path is made or hashed per read.
    if (!stuck.isEmpty() && stuck.containsKey(Call.path(dir, file))) {
      throw new ReadTimeoutException("an earlier read of this file has not returned after more than "
          + timeout.toMillis() + " ms; skipped until it does");
    }
    call.get().set(dir, file);
  }

  private void leave(Path p) {
    leave(p, null);
  }

  private void leave(Path dir, String file) {
    call.get().set(null, null);
    if (!stuck.isEmpty()) {
      stuck.remove(Call.path(dir, file), Thread.currentThread());
    }
  }

  /**
   * One worker's current call. Set by the worker, read by the thread that waits for the scan when the deadline
   * passes: locked, so that the directory and the name are always read as one pair.
   */
  private static final class Call {
    private Path dir;
    private String file;

    synchronized void set(Path dir, String file) {
      this.dir = dir;
      this.file = file;
    }

    /** The call's path, or null between calls. */
    synchronized Path path() {
      return dir == null ? null : path(dir, file);
    }

    static Path path(Path dir, String file) {
      return file == null ? dir : dir.resolve(file);
    }
  }

  /** The file an abandoned worker is stuck on, for the health check's message. */
  Optional<Path> anyStuckFile() {
    return stuck.keySet().stream().findFirst();
  }

  void close() {
    if (worker != null) {
      worker.shutdown();
    }
  }

  /** Ends what is left of an abandoned scan on its worker thread. */
  private static final class AbandonedScan extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AbandonedScan() {
      super("scan abandoned", null, false, false);
    }
  }
}
