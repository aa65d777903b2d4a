package io.cgwatch.cgroupfs.parse;

import java.util.List;

/**
 * {@code cgroup.controllers} and {@code cgroup.subtree_control}: names separated by single spaces. An empty
 * mask prints nothing at all, not even a newline (kernel {@code cgroup_print_ss_mask}), so a 0-byte file is an
 * empty list, not an error.
 */
public final class ControllerListParser {
  private ControllerListParser() {}

  public static List<String> parse(String content) throws MalformedFileException {
    String text = content.strip();
    if (text.isEmpty()) {
      return List.of();
    }
    if (text.indexOf('\n') >= 0) {
      throw new MalformedFileException("expected one line of controller names, got "
          + MalformedFileException.quote(text));
    }
    return List.of(text.split(" +"));
  }
}
