package io.cgwatch.cgroupfs.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /proc/<pid>/mountinfo}:
 * {@code id parent major:minor root mountpoint options [optional fields...] - fstype source super-options}.
 * The optional fields vary in number, so the line is split at the lone {@code -} field; paths have spaces,
 * tabs, newlines and backslashes escaped as octal ({@code \040}), which are undone here.
 */
public final class MountinfoParser {
  private MountinfoParser() {}

  public static List<MountInfo> parse(String content) throws MalformedFileException {
    List<MountInfo> mounts = new ArrayList<>();
    String[] lines = content.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        mounts.add(parseLine(i + 1, lines[i]));
      }
    }
    return List.copyOf(mounts);
  }

  private static MountInfo parseLine(int lineNumber, String line) throws MalformedFileException {
    String[] f = line.split(" ");
    int separator = -1;
    for (int i = 6; i < f.length; i++) {
      if ("-".equals(f[i])) {
        separator = i;
        break;
      }
    }
    String expected = "'id parent major:minor root mountpoint options ... - fstype source superoptions'";
    if (separator < 0 || f.length < separator + 3) {
      throw MalformedFileException.atLine(lineNumber, expected, line);
    }
    Long id = Numbers.parseLong(f[0]);
    Long parent = Numbers.parseLong(f[1]);
    // Mount ids are the kernel's non-negative ints; a larger number would wrap silently (found by fuzzing).
    if (id == null || parent == null || id < 0 || parent < 0 || id > Integer.MAX_VALUE
        || parent > Integer.MAX_VALUE) {
      throw MalformedFileException.atLine(lineNumber, expected, line);
    }
    List<String> superOptions = f.length > separator + 3
        ? Arrays.asList(f[separator + 3].split(","))
        : List.of();
    return new MountInfo(id.intValue(), parent.intValue(), f[2], unescape(f[3]), unescape(f[4]),
        Arrays.asList(f[5].split(",")), f[separator + 1], unescape(f[separator + 2]), superOptions);
  }

  /** Undoes the kernel's {@code \ooo} octal escapes (mangle_path for " \t\n\\"). */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }
}
