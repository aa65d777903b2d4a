package io.cgwatch.agent.reclaim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one write cgwatch ever makes: the decimal byte count to an existing {@code memory.reclaim}, in one
 * {@code write(2)}, opened with {@link StandardOpenOption#WRITE} only (never CREATE: a missing file fails, it is
 * never created as a regular file).
 *
 * <p>The kernel reclaims inside that write, which can take long; it runs on a daemon worker thread and the caller
 * waits at most the timeout. On timeout the worker is interrupted (for a FileChannel this closes the channel and
 * signals the thread, so a kernel reclaim loop that checks {@code signal_pending()} returns early) and then
 * abandoned: being a daemon it never keeps the JVM alive.
 */
final class ReclaimWriter {
  /** What became of the write. */
  enum Outcome {
    /** The kernel reclaimed everything asked. */
    RECLAIMED("reclaimed"),
    /** EAGAIN: the kernel reclaimed less than asked (kernel-facts §3.5); not a failure. */
    PARTIAL("partial"),
    TIMED_OUT("timed_out"),
    FAILED("failed");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  record Result(Outcome outcome, String detail, Duration took) {}

  private ReclaimWriter() {}

  /** The blocking part, replaceable in tests (EAGAIN cannot be produced without a kernel). */
  interface Io {
    void write(Path file, byte[] payload) throws IOException;
  }

  /**
   * Opens the existing file for writing only; never creates it, never follows a symlink in its last component,
   * and writes the payload in one call.
   */
  static final Io FILES = (file, payload) -> {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      out.write(payload);
    }
  };

  static Result write(Path file, long bytes, Duration timeout) throws InterruptedException {
    return write(file, bytes, timeout, FILES);
  }

  static Result write(Path file, long bytes, Duration timeout, Io io) throws InterruptedException {
    byte[] payload = Long.toString(bytes).getBytes(StandardCharsets.US_ASCII);
    FutureTask<Void> task = new FutureTask<>(() -> {
      io.write(file, payload);
      return null;
    });
    Thread worker = new Thread(task, "cgwatch-reclaim-write");
    worker.setDaemon(true);
    long start = System.nanoTime();
    worker.start();
    try {
      task.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return new Result(Outcome.RECLAIMED, "the kernel reclaimed the " + bytes + " bytes asked", since(start));
    } catch (TimeoutException e) {
      worker.interrupt();
      return new Result(Outcome.TIMED_OUT, "the write to " + file + " did not return within " + timeout.toMillis()
          + " ms; it was interrupted and abandoned (the kernel may still be reclaiming)", since(start));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = String.valueOf(cause.getMessage());
      if (isEagain(cause)) {
        return new Result(Outcome.PARTIAL, "the kernel reclaimed less than the " + bytes + " bytes asked (EAGAIN: "
            + "not that much was reclaimable)", since(start));
      }
      String what = cause instanceof java.nio.file.NoSuchFileException
          ? "no such file (memory.reclaim needs cgroup v2 and kernel 5.19 or later)"
          : cause.getClass().getSimpleName() + ": " + message;
      return new Result(Outcome.FAILED, "the write to " + file + " failed: " + what, since(start));
    } catch (InterruptedException e) {
      worker.interrupt();
      throw e;
    }
  }

  /**
   * EAGAIN from the kernel's {@code memory.reclaim}. It arrives in two shapes: an {@link IOException} saying
   * "Resource temporarily unavailable", or, through {@link Files#newOutputStream} on JDK 17, a
   * {@code RuntimeException("no bytes written")}: the FileChannel maps EAGAIN to a write of 0 bytes and the
   * stream's write-fully loop throws that. The second shape is what a real 6.1 kernel produced (qemu guest,
   * reclaim asked of a cgroup with nothing left to reclaim). A write of 0 bytes on a file means nothing else.
   */
  static boolean isEagain(Throwable t) {
    String m = String.valueOf(t.getMessage());
    return (t instanceof IOException && m.contains("Resource temporarily unavailable"))
        || (t instanceof RuntimeException && m.equals("no bytes written"));
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
