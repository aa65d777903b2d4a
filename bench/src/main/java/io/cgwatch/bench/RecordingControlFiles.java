package io.cgwatch.bench;

import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.ForwardingControlFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Records every file access of a scan, in order, as the C floor ({@code bench/floor/floor.c}) replays it: one
 * record per call, an operation letter then the path, NUL-terminated (cgroup names may hold any byte but NUL and
 * '/'). {@code L} lists a directory, {@code R} reads a file, {@code S} stats a directory, {@code D} checks that a
 * directory still exists (only after a failed read).
 */
final class RecordingControlFiles extends ForwardingControlFiles {
  private final ByteArrayOutputStream records = new ByteArrayOutputStream(1 << 20);
  private long lists;
  private long reads;
  private long stats;

  RecordingControlFiles(ControlFiles delegate) {
    super(delegate);
  }

  @Override
  public Listing list(Path dir) throws IOException {
    record('L', dir);
    lists++;
    return super.list(dir);
  }

  @Override
  public String read(Path file) throws IOException {
    record('R', file);
    reads++;
    return super.read(file);
  }

  @Override
  public boolean isDirectory(Path dir) {
    record('D', dir);
    stats++;
    return super.isDirectory(dir);
  }

  @Override
  public Subdirectory stat(Path dir) throws IOException {
    record('S', dir);
    stats++;
    return super.stat(dir);
  }

  private void record(char op, Path path) {
    records.write(op);
    // Paths come from directory listings; toString gives back the bytes the JVM read (UTF-8 locale).
    records.writeBytes(path.toString().getBytes(StandardCharsets.UTF_8));
    records.write(0);
  }

  byte[] records() {
    return records.toByteArray();
  }

  String summary() {
    return lists + " directories listed, " + reads + " files read, " + stats + " stats";
  }
}
