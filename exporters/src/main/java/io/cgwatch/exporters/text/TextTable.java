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
    int[] width = new int[headers.length];
    for (int c = 0; c < headers.length; c++) {
      width[c] = headers[c].length();
      for (String[] r : rows) {
        width[c] = Math.max(width[c], len(r[c]));
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

  private static int len(String s) {
    return s == null ? 0 : s.codePointCount(0, s.length());
  }
}
