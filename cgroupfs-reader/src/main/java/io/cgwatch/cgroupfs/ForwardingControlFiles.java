package io.cgwatch.cgroupfs;

import java.io.IOException;
import java.nio.file.Path;

/** Passes every call to another {@link ControlFiles}; decorators (timing, captured inodes, tests) override one. */
public class ForwardingControlFiles implements ControlFiles {
  private final ControlFiles delegate;

  public ForwardingControlFiles(ControlFiles delegate) {
    this.delegate = delegate;
  }

  /** Forwards to the real filesystem. */
  public ForwardingControlFiles() {
    this(new NioControlFiles());
  }

  @Override
  public Listing list(Path dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  public String read(Path file) throws IOException {
    return delegate.read(file);
  }

  @Override
  public String readHostFile(Path file) throws IOException {
    return delegate.readHostFile(file);
  }

  @Override
  public boolean isDirectory(Path dir) {
    return delegate.isDirectory(dir);
  }

  @Override
  public Subdirectory stat(Path dir) throws IOException {
    return delegate.stat(dir);
  }
}
