package io.cgwatch.cgroupfs.parse;

/** Kernel CPU lists ({@code /sys/devices/system/cpu/online}): {@code 0-3,8,10-11}. */
public final class CpuListParser {
  private CpuListParser() {}

  /** The number of CPUs in the list. */
  public static int count(String content) throws MalformedFileException {
    String text = content.strip();
    if (text.isEmpty()) {
      throw new MalformedFileException("CPU list is empty");
    }
    int count = 0;
    for (String part : text.split(",")) {
      int dash = part.indexOf('-');
      Long from = Numbers.parseLong(dash < 0 ? part : part.substring(0, dash));
      Long to = dash < 0 ? from : Numbers.parseLong(part.substring(dash + 1));
      if (from == null || to == null || from < 0 || to < from || to - from > 1 << 20) {
        throw new MalformedFileException("expected a CPU list like 0-3,8, got " + MalformedFileException.quote(text));
      }
      count += (int) (to - from + 1);
    }
    return count;
  }
}
