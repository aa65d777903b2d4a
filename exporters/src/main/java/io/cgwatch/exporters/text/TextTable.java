package io.cgwatch.exporters.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain aligned table: columns as wide as their widest cell; right-aligned columns for numbers. */
final class TextTable {
  private final String[] headers;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... headers) {
    this.headers = headers;
    this.rightAligned = new boolean[headers.length];
  }

  TextTable rightAlign(int... columns) {
    for (int c : columns) {
      rightAligned[c] = true;
    }
    return this;
  }

  void row(String... cells) {
    rows.add(Arrays.copyOf(cells, headers.length));
  }

  void render(StringBuilder out, String indent) {
    render(out, indent, 0);
  }

  /**
   * Renders with columns as wide as their widest cell; when a line would exceed {@code maxWidth} (0: no limit),
   * the last column, the cgroup path, is shortened in the middle so both ends stay readable.
   */
  void render(StringBuilder out, String indent, int maxWidth) {
    int[] width = new int[headers.length];
    for (int c = 0; c < headers.length; c++) {
      width[c] = headers[c].length();
      for (String[] r : rows) {
        width[c] = Math.max(width[c], len(r[c]));
      }
    }
    int last = headers.length - 1;
    if (maxWidth > 0) {
      int others = indent.length();
      for (int c = 0; c < last; c++) {
        others += width[c] + 2;
      }
      int room = Math.max(7, maxWidth - others);
      if (width[last] > room) {
        width[last] = room;
        for (String[] r : rows) {
          r[last] = shorten(r[last], room);
        }
      }
    }
    line(out, indent, headers, width);
    for (String[] r : rows) {
      line(out, indent, r, width);
    }
  }

  private void line(StringBuilder out, String indent, String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder(indent);
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c] == null ? "" : cells[c];
      int pad = width[c] - len(cell);
      if (c > 0) {
        sb.append("  ");
      }
      if (rightAligned[c]) {
        sb.append(" ".repeat(pad)).append(cell);
      } else {
        sb.append(cell);
        if (c < cells.length - 1) {
          sb.append(" ".repeat(pad));
        }
      }
    }
    out.append(sb.toString().stripTrailing()).append('\n');
  }

  /** {@code /kubepods.slice/very/long/path} → {@code /kubepods...ng/path}, at most {@code max} characters. */
  static String shorten(String s, int max) {
    if (s == null || len(s) <= max) {
      return s;
    }
    int keep = max - 3;
    int head = keep / 2;
    int tail = keep - head;
    int cps = s.codePointCount(0, s.length());
    return s.substring(0, s.offsetByCodePoints(0, head)) + "..." + s.substring(s.offsetByCodePoints(0, cps - tail));
  }

  private static int len(String s) {
    return s == null ? 0 : s.codePointCount(0, s.length());
  }
}
