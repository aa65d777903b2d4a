package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcCgroupsParserTest {
  @Test
  void readsHybridHostRows() throws Exception {
    // Linux 6.18 hybrid, captures/linux-6.18-hybrid/proc_cgroups.txt (first rows)
    List<ProcCgroupsRow> rows = ProcCgroupsParser.parse("""
        #subsys_name\thierarchy\tnum_cgroups\tenabled
        cpuset\t3\t1\t1
        memory\t4\t37\t1
        net_cls\t0\t1\t1
        """);
    assertEquals(List.of(new ProcCgroupsRow("cpuset", 3, 1, true), new ProcCgroupsRow("memory", 4, 37, true),
        new ProcCgroupsRow("net_cls", 0, 1, true)), rows);
  }

  @Test
  void acceptsSpacesAndDisabledControllers() throws Exception {
    assertEquals(List.of(new ProcCgroupsRow("rdma", 0, 3, false)), ProcCgroupsParser.parse("rdma 0 3 0\n"));
  }

  @Test
  void rejectsShortOrNonNumericRows() {
    assertThrows(MalformedFileException.class, () -> ProcCgroupsParser.parse("memory\t4\t37\n"));
    assertThrows(MalformedFileException.class, () -> ProcCgroupsParser.parse("memory\t4\tmany\t1\n"));
  }
}
