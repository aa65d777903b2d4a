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

  /**
   * {@link #parseLong(String)} of the bytes' UTF-8 decoding: one decimal and an optional newline parsed in
   * place, anything else handed to the String parser (same value, same error).
   */
  public static long parseLongBytes(byte[] content, int len) throws MalformedFileException {
    int end = valueEnd(content, len);
    if (end > 0 && FlatKeyedParser.isLong(content, 0, end)) {
      return FlatKeyedParser.parseLong(content, 0, end);
    }
    return parseLong(new String(content, 0, len, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Where the one line's text ends: before a final newline, or {@code len}. */
  static int valueEnd(byte[] content, int len) {
    return len > 0 && content[len - 1] == '\n' ? len - 1 : len;
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
