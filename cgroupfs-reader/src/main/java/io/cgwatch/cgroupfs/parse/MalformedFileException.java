package io.cgwatch.cgroupfs.parse;

/**
 * The content of a file does not have the format the kernel writes. The message says what was wrong and where
 * (line number and the offending text, shortened); the reader attaches the path.
 */
public final class MalformedFileException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_QUOTED = 60;

  public MalformedFileException(String message) {
    super(message);
  }

  /** "line 3: expected '<key> <integer>', got 'oom_kill'" */
  static MalformedFileException atLine(int lineNumber, String expected, String line) {
    return new MalformedFileException("line " + lineNumber + ": expected " + expected + ", got " + quote(line));
  }

  /** Quotes untrusted text for a message: shortened, control characters escaped. */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder("'");
    int n = Math.min(text.length(), MAX_QUOTED);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (text.length() > MAX_QUOTED) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }
}
