package io.cgwatch.exporters.prometheus;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code --include}/{@code --exclude} globs matched on the cgroup path as a string: {@code **} crosses levels,
 * {@code *} and {@code ?} stay within one, {@code [abc]}/{@code [!a-z]} classes and {@code {a,b}} groups, as
 * in {@code FileSystem#getPathMatcher("glob:...")}. Not through {@code Path.of}: a cgroup name is any bytes a
 * user chose, and a path the JVM cannot encode (any non-ASCII name under a POSIX locale) threw
 * InvalidPathException and failed every scrape.
 */
final class CgroupGlob {
  /** Compiled once per glob: a scan matches every cgroup against the same few globs. */
  private static final java.util.Map<String, CgroupGlob> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private final Pattern pattern;

  private CgroupGlob(Pattern pattern) {
    this.pattern = pattern;
  }

  /** The compiled glob; a malformed one is an IllegalArgumentException naming it. */
  static CgroupGlob of(String glob) {
    CgroupGlob g = CACHE.get(glob);
    if (g == null) {
      g = compile(glob);
      if (CACHE.size() < 1024) {
        CACHE.put(glob, g);
      }
    }
    return g;
  }

  private static CgroupGlob compile(String glob) {
    StringBuilder re = new StringBuilder("^");
    boolean inGroup = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            re.append(".*");
            i++;
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("unclosed '[' in glob " + glob);
          }
          String body = glob.substring(i + 1, end);
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          }
          re.append("(?:(?!/)[").append(body.replace("\\", "\\\\").replace("[", "\\[")).append("])");
          i = end;
        }
        case '{' -> {
          if (inGroup) {
            throw new IllegalArgumentException("nested '{' in glob " + glob);
          }
          inGroup = true;
          re.append("(?:");
        }
        case '}' -> {
          if (inGroup) {
            inGroup = false;
            re.append(')');
          } else {
            re.append("\\}");
          }
        }
        case ',' -> re.append(inGroup ? "|" : ",");
        case '\\' -> {
          if (i + 1 < glob.length()) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          } else {
            throw new IllegalArgumentException("glob ends with '\\': " + glob);
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (inGroup) {
      throw new IllegalArgumentException("unclosed '{' in glob " + glob);
    }
    try {
      return new CgroupGlob(Pattern.compile(re.append('$').toString(), Pattern.DOTALL));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("bad glob " + glob + ": " + e.getDescription(), e);
    }
  }

  boolean matches(String cgroupPath) {
    return pattern.matcher(cgroupPath).matches();
  }
}
