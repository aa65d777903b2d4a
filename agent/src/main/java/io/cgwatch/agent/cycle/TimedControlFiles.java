package io.cgwatch.agent.cycle;

import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.ForwardingControlFiles;
import io.cgwatch.cgroupfs.ReadBuffer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Times every control-file read, by file name, and remembers how long the shallowest {@code memory.stat} of the
 * scan took (the root's: the one that slows down first when dying cgroups pile up, cadvisor#1774).
 */
public final class TimedControlFiles extends ForwardingControlFiles {
  /** Hears of every read: the file's name and its seconds, unboxed (a scan makes ~20 reads per cgroup). */
  @FunctionalInterface
  public interface ReadListener {
    void read(String file, double seconds);
  }

  private final ReadListener onRead;
  private final Ticker ticker;
  private int rootStatDepth = Integer.MAX_VALUE;
  private double rootStatSeconds = -1;

  public TimedControlFiles(ControlFiles real, Ticker ticker, ReadListener onRead) {
    super(real);
    this.onRead = onRead;
    this.ticker = ticker;
  }

  /** Starts a scan: forgets the previous root memory.stat reading. */
  public void startScan() {
    rootStatDepth = Integer.MAX_VALUE;
    rootStatSeconds = -1;
  }

  /** Seconds the root memory.stat read took in this scan; negative when it was not read. */
  public double rootMemoryStatSeconds() {
    return rootStatSeconds;
  }

  @Override
  public String read(Path file) throws IOException {
    long start = ticker.nanoTime();
    try {
      return super.read(file);
    } finally {
      timed(file, start);
    }
  }

  /** The same timing on the scan's hot path (bytes into the scan's buffer). */
  @Override
  public void readInto(Path file, ReadBuffer into) throws IOException {
    long start = ticker.nanoTime();
    try {
      super.readInto(file, into);
    } finally {
      timed(file, start);
    }
  }

  /** The same for a read by name (the scan's): no Path of the file is built to time it. */
  @Override
  public void readInto(Path dir, String file, ReadBuffer into) throws IOException {
    long start = ticker.nanoTime();
    try {
      super.readInto(dir, file, into);
    } finally {
      timed(file, dir.getNameCount() + 1, start);
    }
  }

  private void timed(Path file, long start) {
    timed(String.valueOf(file.getFileName()), file.getNameCount(), start);
  }

  private void timed(String name, int depth, long start) {
    double seconds = (ticker.nanoTime() - start) / 1e9;
    onRead.read(name, seconds);
    if (name.equals("memory.stat") && depth < rootStatDepth) {
      rootStatDepth = depth;
      rootStatSeconds = seconds;
    }
  }
}
