package io.cgwatch.cgroupfs;

import java.io.IOException;
import java.nio.file.Path;

/** Passes every call to another {@link ControlFiles}; decorators (timing, captured inodes, tests) override one. */
public class ForwardingControlFiles implements ControlFiles {
  private final ControlFiles delegate;
  /**
   * A subclass that overrides {@link #read} but not {@link #readInto} (a timing, deadline or fault-injecting
   * decorator written before readInto existed) must still see every read: its readInto then goes through its
   * read instead of straight to the delegate, or the decorator would silently be bypassed.
   */
  private final boolean readIntoThroughRead;

  public ForwardingControlFiles(ControlFiles delegate) {
    this.delegate = delegate;
    this.readIntoThroughRead = overridesReadOnly(getClass());
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
  public void readInto(Path file, ReadBuffer into) throws IOException {
    if (readIntoThroughRead) {
      into.set(read(file));
    } else {
      delegate.readInto(file, into);
    }
  }

  private static boolean overridesReadOnly(Class<?> c) {
    try {
      Class<?> read = c.getMethod("read", Path.class).getDeclaringClass();
      Class<?> readInto = c.getMethod("readInto", Path.class, ReadBuffer.class).getDeclaringClass();
      return read != readInto && readInto.isAssignableFrom(read);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e); // both are public methods of ControlFiles
    }
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
