package io.cgwatch.cgroupfs.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code cgroup.controllers} and {@code cgroup.subtree_control}: names separated by single spaces. An empty
 * mask prints nothing at all, not even a newline (kernel {@code cgroup_print_ss_mask}), so a 0-byte file is an
 * empty list, not an error.
 */
public final class ControllerListParser {
  /** Controller lines seen lately with their lists: every cgroup of a subtree prints one of a few lines. */
  private static final int RECENT_LINES = 8;
  private static final AtomicReferenceArray<Seen> RECENT = new AtomicReferenceArray<>(RECENT_LINES);
  private static final AtomicInteger NEXT_SLOT = new AtomicInteger();

  private record Seen(byte[] content, List<String> controllers) {}

  private ControllerListParser() {}

  /**
   * {@link #parse(String)} of the bytes' UTF-8 decoding; a line seen lately gives back the same immutable list
   * (no String per name). A new line is parsed as a String and remembered if it parsed.
   */
  public static List<String> parseBytes(byte[] content, int len) throws MalformedFileException {
    for (int slot = 0; slot < RECENT_LINES; slot++) {
      Seen seen = RECENT.get(slot);
      if (seen != null && Arrays.equals(seen.content, 0, seen.content.length, content, 0, len)) {
        return seen.controllers;
      }
    }
    byte[] copy = Arrays.copyOf(content, len);
    List<String> parsed = parse(new String(copy, StandardCharsets.UTF_8));
    RECENT.set(Math.floorMod(NEXT_SLOT.getAndIncrement(), RECENT_LINES), new Seen(copy, parsed));
    return parsed;
  }

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
