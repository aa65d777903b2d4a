package io.cgwatch.cgroupfs;

import java.io.IOException;

/**
 * A read that did not return in time (a FIFO opened in a race, a hung FUSE or NFS file), or a file whose earlier read
 * is still stuck: thrown by a deadline decorator of {@link ControlFiles}, recorded as a {@code timeout} error.
 */
public class ReadTimeoutException extends IOException {
  private static final long serialVersionUID = 1L;

  public ReadTimeoutException(String message) {
    super(message);
  }
}
