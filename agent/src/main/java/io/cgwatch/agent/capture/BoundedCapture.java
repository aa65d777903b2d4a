package io.cgwatch.agent.capture;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a capture so that {@code --timeout} holds even when a read never returns: the {@link Capturer} checks the
 * time between files, but a thread stuck in open(2) or read(2) (a FIFO swapped in after the type check, a hung
 * FUSE or NFS file) never gets there. The capture runs on a daemon worker; a second after the timeout the command
 * gives up on it and says so. The capture left behind has its record still saying "in progress", so
 * {@code replay} and {@code diagnose --host-root} refuse it without {@code --allow-incomplete}. Write failures
 * once OUT exists (disk full, a target gone read-only or removed) become one message naming OUT, exit 1; an OUT
 * that cannot be made at all is the caller's usage error (the CLI's one line, exit 3).
 */
final class BoundedCapture {
  /** How long after {@code --timeout} a capture stuck in a call is given up on. */
  static final Duration GRACE = Duration.ofSeconds(1);

  private BoundedCapture() {}

  /** Why the capture did not finish; its message is the one line for the user. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  static Capturer.Result run(Callable<Capturer.Result> capture, Duration timeout, String shown, Path out)
      throws Failure, IOException {
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "cgwatch-capture");
      t.setDaemon(true); // a thread stuck in open(2) must not keep the JVM alive
      return t;
    });
    Future<Capturer.Result> f = worker.submit(capture);
    worker.shutdown();
    try {
      return f.get(timeout.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new Failure("capture incomplete: --timeout " + shown + " reached while a read had not returned "
          + "(a FIFO or a hung filesystem in the source); " + out + " is kept but marked in progress: capture again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("capture interrupted; " + out + " is marked in progress");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io && !Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
        throw io; // OUT could not even be made (not a directory, permission denied): a usage error, exit 3
      }
      if (c instanceof IOException io) {
        throw new Failure("capture failed writing " + out + ": " + reason(io) + hint(io) + "; what was written is "
            + "kept and marked incomplete");
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(c);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return (fse.getFile() != null ? fse.getFile() + ": " : "") + fse.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  private static String hint(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No space left") || m.contains("Disk quota") ? " (the disk is full: free space or give OUT on "
        + "another filesystem)" : "";
  }
}
