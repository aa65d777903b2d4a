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
  private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fuzz-case");
    t.setDaemon(true);
    return t;
  });

  private NoHang() {}

  /** The case's result; its exception unwrapped; an AssertionError naming the input when it does not finish. */
  static <T> T run(String what, Callable<T> task) throws Exception {
    Future<T> f = WORKER.submit(task);
    try {
      return f.get(HANG_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("did not finish within " + HANG_SECONDS + " s (a hang): " + what);
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
