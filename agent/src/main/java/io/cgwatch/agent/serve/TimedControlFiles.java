package io.cgwatch.agent.serve;

import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.ForwardingControlFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Times every control-file read, by file name, and remembers how long the shallowest {@code memory.stat} of the
 * scan took (the root's: the one that slows down first when dying cgroups pile up, cadvisor#1774).
 */
public final class TimedControlFiles extends ForwardingControlFiles {
  private final BiConsumer<String, Double> onRead;
  private int rootStatDepth = Integer.MAX_VALUE;
  private double rootStatSeconds = -1;

  public TimedControlFiles(ControlFiles real, BiConsumer<String, Double> onRead) {
    super(real);
    this.onRead = onRead;
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
    long start = System.nanoTime();
    try {
      return super.read(file);
    } finally {
      double seconds = (System.nanoTime() - start) / 1e9;
      String name = String.valueOf(file.getFileName());
      onRead.accept(name, seconds);
      if (name.equals("memory.stat") && file.getNameCount() < rootStatDepth) {
        rootStatDepth = file.getNameCount();
        rootStatSeconds = seconds;
      }
    }
  }
}
