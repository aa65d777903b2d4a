package io.cgwatch.cgroupfs;

/**
 * The cgroup directory disappeared while it was being read: it was removed. On a busy host this is a normal
 * event, counted as "vanished", never an error.
 */
final class CgroupVanishedException extends Exception {
  private static final long serialVersionUID = 1L;

  CgroupVanishedException() {
    super(null, null, false, false); // control flow, no stack trace needed
  }
}
