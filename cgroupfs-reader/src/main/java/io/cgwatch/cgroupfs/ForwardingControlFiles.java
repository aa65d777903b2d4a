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
  /**
   * The same for {@link #readInto(Path, String, ReadBuffer)}: a subclass that overrides {@link #read} or
   * {@link #readInto(Path, ReadBuffer)} but not the by-name read gets every by-name read through its Path one.
   */
  private final boolean readByNameThroughPath;

  public ForwardingControlFiles(ControlFiles delegate) {
    this.delegate = delegate;
    this.readIntoThroughRead = overridesReadOnly(getClass());
    this.readByNameThroughPath = overridesPathReadsOnly(getClass());
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

  @Override
  public void readInto(Path dir, String file, ReadBuffer into) throws IOException {
    if (readByNameThroughPath) {
      readInto(dir.resolve(file), into);
    } else {
      delegate.readInto(dir, file, into);
    }
  }

  private static boolean overridesPathReadsOnly(Class<?> c) {
    try {
      Class<?> read = c.getMethod("read", Path.class).getDeclaringClass();
      Class<?> readInto = c.getMethod("readInto", Path.class, ReadBuffer.class).getDeclaringClass();
      Class<?> byName = c.getMethod("readInto", Path.class, String.class, ReadBuffer.class).getDeclaringClass();
      return (read != byName && byName.isAssignableFrom(read))
          || (readInto != byName && byName.isAssignableFrom(readInto));
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e); // public methods of ControlFiles
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
