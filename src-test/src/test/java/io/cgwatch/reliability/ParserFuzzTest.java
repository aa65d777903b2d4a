package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.parse.ControllerListParser;
import io.cgwatch.cgroupfs.parse.CpuListParser;
import io.cgwatch.cgroupfs.parse.FlatKeyedParser;
import io.cgwatch.cgroupfs.parse.LimitParser;
import io.cgwatch.cgroupfs.parse.MalformedFileException;
import io.cgwatch.cgroupfs.parse.MeminfoParser;
import io.cgwatch.cgroupfs.parse.MountInfo;
import io.cgwatch.cgroupfs.parse.MountinfoParser;
import io.cgwatch.cgroupfs.parse.PressureParser;
import io.cgwatch.cgroupfs.parse.ProcCgroupsParser;
import io.cgwatch.cgroupfs.parse.ProcCgroupsRow;
import io.cgwatch.cgroupfs.parse.SingleValueParser;
import io.cgwatch.model.Limit;
import io.cgwatch.model.Pressure;
import io.cgwatch.model.PsiLine;
import io.cgwatch.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every parser of {@code io.cgwatch.cgroupfs.parse} on hostile content (see {@link HostileText}): it returns a
 * value that keeps the parser's own promises, or throws {@link MalformedFileException}; any other exception or
 * a hang fails the property with the input. Cases per property: {@link Property#tries()} (3,000 in the build,
 * 111,112 in the {@code reliability-million} profile), plus every truncation of every seed.
 */
class ParserFuzzTest {
  private static final Map<String, AtomicLong> CASES = new ConcurrentHashMap<>();

  /** A parser under test: returns its value, or throws MalformedFileException. */
  interface Parse {
    Object apply(String content) throws MalformedFileException;
  }

  static final List<String> FLAT_KEYED = List.of(
      fixture("hosts/unified-6.1-dying/sys/fs/cgroup/jobs/memory.stat"),
      "nr_descendants 1\nnr_dying_descendants 4\n",
      "populated 1\nfrozen 0\n",
      "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
  static final List<String> LIMIT = List.of("max\n", "0\n", "536870912\n", "9223372036854771712\n",
      "18446744073709551615\n");
  static final List<String> SINGLE_VALUE = List.of("0\n", "33685504\n", "9223372036854775807\n");
  static final List<String> CONTROLLER_LIST = List.of("cpuset cpu io memory hugetlb pids rdma misc\n", "memory\n",
      "");
  static final List<String> PRESSURE = List.of(
      "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
      "some avg10=12.34 avg60=5.67 avg300=1.01 total=123456789\n");
  static final List<String> PROC_CGROUPS = List.of(fixture("hosts/hybrid-6.18/proc/cgroups"),
      fixture("hosts/unified-6.1-dying/proc/cgroups"));
  static final List<String> MOUNTINFO = List.of(fixture("hosts/hybrid-6.18/proc/self/mountinfo"),
      "36 25 0:30 /a\\040b /sys/fs/cgroup rw,nosuid shared:9 master:1 - cgroup2 cgroup2 rw,nsdelegate\n");
  static final List<String> MEMINFO = List.of(fixture("hosts/hybrid-6.18/proc/meminfo"),
      "MemTotal:        2014292 kB\n");
  static final List<String> CPU_LIST = List.of("0-3,8,10-11\n", "0\n", "0-1\n", "0-127\n");

  static String fixture(String relative) {
    return Fixtures.read(Fixtures.dir().resolve(relative));
  }

  /**
   * The property "{@code parser} on hostile text near {@code seeds} keeps its promises or throws
   * MalformedFileException", over {@link Property#tries()} cases.
   */
  static void fuzz(String parser, Parse parse, List<String> seeds, java.util.function.Consumer<Object> promises) {
    Property.check(parser + " keeps its promises or throws MalformedFileException", Property.tries(),
        HostileText.around(seeds), content -> check(parser, parse, content, promises));
  }

  /** Runs one case: the value, checked by {@code promises}, or MalformedFileException; nothing else. */
  static void check(String parser, Parse parse, String content, java.util.function.Consumer<Object> promises)
      throws Exception {
    CASES.computeIfAbsent(parser, k -> new AtomicLong()).incrementAndGet();
    Optional<Object> value = NoHang.run(parser + " on " + HostileTextPrinter.show(content), () -> {
      try {
        return Optional.of(parse.apply(content));
      } catch (MalformedFileException e) {
        assertNotNull(e.getMessage(), "a malformed file says why");
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20),
            "the reason quotes the input with control characters escaped: " + e.getMessage());
        return Optional.empty();
      }
    });
    value.ifPresent(promises);
  }

  @Test
  void flatKeyedGivesKeysAndLongsOrMalformed() {
    fuzz("FlatKeyedParser", FlatKeyedParser::parse, FLAT_KEYED, v -> {
      @SuppressWarnings("unchecked")
      Map<String, Long> map = (Map<String, Long>) v;
      map.forEach((k, n) -> {
        assertFalse(k.isEmpty() || k.indexOf('\n') >= 0 || k.indexOf(' ') >= 0, "key " + k);
        assertNotNull(n);
      });
    });
  }

  @Test
  void limitIsMaxOrANonNegativeByteCountOrMalformed() {
    fuzz("LimitParser", LimitParser::parse, LIMIT,
        v -> assertTrue(((Limit) v).unlimited() || ((Limit) v).value() >= 0, "limit " + v));
  }

  @Test
  void singleValueIsOneLongOrMalformed() {
    fuzz("SingleValueParser", SingleValueParser::parseLong, SINGLE_VALUE, v -> assertNotNull(v));
  }

  @Test
  void controllerListIsNamesOrMalformed() {
    fuzz("ControllerListParser", ControllerListParser::parse, CONTROLLER_LIST, v -> {
      for (Object name : (List<?>) v) {
        assertFalse(((String) name).isEmpty() || ((String) name).indexOf(' ') >= 0, "controller '" + name + "'");
      }
    });
  }

  @Test
  void pressureIsFiniteNonNegativeOrMalformed() {
    fuzz("PressureParser", PressureParser::parse, PRESSURE, v -> {
      Pressure p = (Pressure) v;
      List<PsiLine> lines = new ArrayList<>();
      p.some().ifPresent(lines::add);
      p.full().ifPresent(lines::add);
      assertFalse(lines.isEmpty());
      for (PsiLine l : lines) {
        for (double d : new double[] {l.avg10Percent(), l.avg60Percent(), l.avg300Percent(), l.totalSeconds()}) {
          assertTrue(Double.isFinite(d) && d >= 0, "PSI value " + d + " in " + l);
        }
        // docs/reliability.md promises percentages of at most 100 (FuzzFoundBugsTest pins 100.01 as malformed).
        for (double pct : new double[] {l.avg10Percent(), l.avg60Percent(), l.avg300Percent()}) {
          assertTrue(pct <= 100, "PSI percentage " + pct + " in " + l);
        }
      }
    });
  }

  @Test
  void procCgroupsRowsAreCountsOrMalformed() {
    fuzz("ProcCgroupsParser", ProcCgroupsParser::parse, PROC_CGROUPS, v -> {
      for (Object o : (List<?>) v) {
        ProcCgroupsRow row = (ProcCgroupsRow) o;
        assertTrue(row.numCgroups() >= 0 && row.hierarchyId() >= 0 && !row.subsystem().isEmpty(), "row " + row);
      }
    });
  }

  @Test
  void mountinfoLinesOrMalformed() {
    fuzz("MountinfoParser", MountinfoParser::parse, MOUNTINFO, v -> {
      for (Object o : (List<?>) v) {
        MountInfo m = (MountInfo) o;
        assertTrue(m.mountId() >= 0 && m.parentId() >= 0, "mount ids are the kernel's non-negative ints: " + m);
        assertNotNull(m.fsType());
        assertNotNull(m.mountPoint());
      }
    });
  }

  @Test
  void meminfoIsNonNegativeBytesOrMalformed() {
    fuzz("MeminfoParser", MeminfoParser::memTotalBytes, MEMINFO, v -> {
      OptionalLong bytes = (OptionalLong) v;
      assertTrue(bytes.isEmpty() || bytes.getAsLong() >= 0, "MemTotal bytes " + bytes);
    });
  }

  @Test
  void cpuListCountsAtLeastOneCpuOrMalformed() {
    fuzz("CpuListParser", CpuListParser::count, CPU_LIST, v -> assertTrue((Integer) v >= 1, "CPUs " + v));
  }

  /** Every prefix of every seed: a read cut short at each byte offset. */
  @Test
  void everyTruncationOfEveryFormat() throws Exception {
    Map<String, Map.Entry<Parse, List<String>>> parsers = Map.of(
        "FlatKeyedParser", Map.entry(FlatKeyedParser::parse, FLAT_KEYED),
        "LimitParser", Map.entry(LimitParser::parse, LIMIT),
        "SingleValueParser", Map.entry(SingleValueParser::parseLong, SINGLE_VALUE),
        "ControllerListParser", Map.entry(ControllerListParser::parse, CONTROLLER_LIST),
        "PressureParser", Map.entry(PressureParser::parse, PRESSURE),
        "ProcCgroupsParser", Map.entry(ProcCgroupsParser::parse, PROC_CGROUPS),
        "MountinfoParser", Map.entry(MountinfoParser::parse, MOUNTINFO),
        "MeminfoParser", Map.entry(MeminfoParser::memTotalBytes, MEMINFO),
        "CpuListParser", Map.entry(CpuListParser::count, CPU_LIST));
    for (var e : parsers.entrySet()) {
      for (String seed : e.getValue().getValue()) {
        for (int cut = 0; cut <= seed.length(); cut++) {
          check(e.getKey(), e.getValue().getKey(), seed.substring(0, cut), v -> { });
        }
      }
    }
  }

  @AfterAll
  static void report() {
    long total = CASES.values().stream().mapToLong(AtomicLong::get).sum();
    System.out.println("FUZZ parsers: " + total + " cases " + new java.util.TreeMap<>(CASES));
  }
}
