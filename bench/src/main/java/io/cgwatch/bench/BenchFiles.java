package io.cgwatch.bench;

import io.cgwatch.agent.nativeio.NativeControlFiles;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.NioControlFiles;

/** The file access a benchmark's scans use: {@code nio} (the reader's own) or {@code native} (serve's, via JNA). */
final class BenchFiles {
  private BenchFiles() {}

  static ControlFiles of(String reader) {
    return switch (reader) {
      case "nio" -> new NioControlFiles();
      case "native" -> NativeControlFiles.load().files()
          .orElseThrow(() -> new IllegalStateException("native file access: " + NativeControlFiles.load().whyNot()));
      default -> throw new IllegalArgumentException("reader must be nio or native, not " + reader);
    };
  }
}
