package io.cgwatch.reliability;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one fuzz case on a worker thread so a parser that loops forever fails the property with the input that
 * hung it, instead of hanging the build. The bound is a hang detector, not a performance assertion: a parse
 * takes microseconds, the bound is many seconds (a 2-core CI machine shared with other builds can stall).
 */
final class NoHang {
  static final long HANG_SECONDS = Long.getLong("reliability.hang.seconds", 30);
  private static ExecutorService worker = newWorker();

  /** The failure of a case that did not finish; {@link Property} does not shrink it (each retry costs the bound). */
  static final class HangError extends AssertionError {
    HangError(String message) {
      super(message);
    }
  }

  private NoHang() {}

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-case");
      t.setDaemon(true);
      return t;
    });
  }

  /** The case's result; its exception unwrapped; a HangError naming the input when it does not finish. */
  static <T> T run(String what, Callable<T> task) throws Exception {
    return run(what, HANG_SECONDS, task);
  }

  /** {@link #run(String, Callable)} with another bound (the harness's own test). */
  static synchronized <T> T run(String what, long hangSeconds, Callable<T> task) throws Exception {
    Future<T> f = worker.submit(task);
    try {
      return f.get(hangSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      // A loop that ignores interrupts keeps the old thread: later cases get a fresh one instead of queueing
      // behind it and all "hanging" too.
      worker.shutdownNow();
      worker = newWorker();
      throw new HangError("did not finish within " + hangSeconds + " s (a hang): " + what);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
