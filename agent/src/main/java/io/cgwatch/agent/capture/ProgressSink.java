package io.cgwatch.agent.capture;

import io.cgwatch.agent.cli.Progress;
import java.io.IOException;
import java.util.Locale;

/** Counts what goes into a capture and shows it on the progress line (a terminal only; see {@link Progress}). */
final class ProgressSink implements CaptureSink {
  private final CaptureSink sink;
  private final Progress progress;
  private long directories;
  private long files;
  private long bytes;

  ProgressSink(CaptureSink sink, Progress progress) {
    this.sink = sink;
    this.progress = progress;
  }

  @Override
  public void directory(String path, long mtimeMillis) throws IOException {
    sink.directory(path, mtimeMillis);
    directories++;
    show();
  }

  @Override
  public void file(String path, byte[] content, long mtimeMillis) throws IOException {
    sink.file(path, content, mtimeMillis);
    files++;
    bytes += content.length;
    show();
  }

  private void show() {
    progress.update(String.format(Locale.ROOT, "capturing: %d cgroup directories, %d files, %.1f MiB", directories,
        files, bytes / 1048576.0), false);
  }

  @Override
  public void record(String path, byte[] content) throws IOException {
    sink.record(path, content); // the sink's own way: a directory replaces the record atomically
  }

  @Override
  public void finish() throws IOException {
    sink.finish();
  }

  @Override
  public void close() throws IOException {
    progress.close();
    sink.close();
  }
}
