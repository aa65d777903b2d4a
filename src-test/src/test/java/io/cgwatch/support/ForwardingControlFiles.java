package io.cgwatch.support;

import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.NioControlFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Real file access; test doubles override the one call they change. */
public class ForwardingControlFiles implements ControlFiles {
  private final ControlFiles real = new NioControlFiles();

  @Override
  public Listing list(Path dir) throws IOException {
    return real.list(dir);
  }

  @Override
  public String read(Path file) throws IOException {
    return real.read(file);
  }

  @Override
  public boolean isDirectory(Path dir) {
    return real.isDirectory(dir);
  }

  @Override
  public Subdirectory stat(Path dir) throws IOException {
    return real.stat(dir);
  }
}
