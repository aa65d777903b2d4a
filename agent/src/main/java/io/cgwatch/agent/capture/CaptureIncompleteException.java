package io.cgwatch.agent.capture;

/** A limit was reached; what was written so far stays, with a CAPTURED note saying it is incomplete. */
final class CaptureIncompleteException extends Exception {
  private static final long serialVersionUID = 1L;

  CaptureIncompleteException(String reason) {
    super(reason);
  }
}
