package io.cgwatch.cgroupfs.parse;

/** Kernel CPU lists ({@code /sys/devices/system/cpu/online}): {@code 0-3,8,10-11}. */
public final class CpuListParser {
  /** Far above any kernel's NR_CPUS (8192 on x86 MAXSMP); a list beyond it is not from a kernel. */
  static final int MAX_CPUS = 1 << 20;

  private CpuListParser() {}

  /** The number of CPUs in the list. */
  public static int count(String content) throws MalformedFileException {
    String text = content.strip();
    if (text.isEmpty()) {
      throw new MalformedFileException("CPU list is empty");
    }
    long count = 0; // a long: many wide ranges would overflow an int (a list no kernel prints)
    for (String part : text.split(",", -1)) { // -1: a list of only commas is no CPUs, not an empty loop
      int dash = part.indexOf('-');
      Long from = Numbers.parseLong(dash < 0 ? part : part.substring(0, dash));
      Long to = dash < 0 ? from : Numbers.parseLong(part.substring(dash + 1));
      if (from == null || to == null || from < 0 || to < from || to - from > 1 << 20) {
        throw new MalformedFileException("expected a CPU list like 0-3,8, got " + MalformedFileException.quote(text));
      }
      count += to - from + 1;
      if (count > MAX_CPUS) {
        throw new MalformedFileException("more than " + MAX_CPUS + " CPUs in " + MalformedFileException.quote(text));
      }
    }
    return (int) count;
  }
}
