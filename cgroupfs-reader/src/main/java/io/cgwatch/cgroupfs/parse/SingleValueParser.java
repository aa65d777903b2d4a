package io.cgwatch.cgroupfs.parse;

/** Files holding one decimal: {@code memory.current}, {@code memory.peak}, {@code pids.current}, v1 usage. */
public final class SingleValueParser {
  private SingleValueParser() {}

  public static long parseLong(String content) throws MalformedFileException {
    String text = singleLine(content);
    Long value = Numbers.parseLong(text);
    if (value == null) {
      throw new MalformedFileException("expected one integer, got " + MalformedFileException.quote(text));
    }
    return value;
  }

  /** The file's one line without its newline; more than one line, or none, is malformed. */
  static String singleLine(String content) throws MalformedFileException {
    String text = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    if (text.isEmpty()) {
      throw new MalformedFileException("file is empty");
    }
    if (text.indexOf('\n') >= 0) {
      throw new MalformedFileException("expected one line, got " + MalformedFileException.quote(text));
    }
    return text;
  }
}
