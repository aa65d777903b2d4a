package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.parse.FlatKeyedParser;
import io.cgwatch.model.MemoryStat;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The one translation of memory.stat: v1's total_* keys and v2's names end up in the same typed figures. */
class MemoryStatTranslationTest {
  @Test
  void v2KeysAreTheSubtreeFigures() throws Exception {
    MemoryStat m = MemoryStatTranslation.v2(FlatKeyedParser.parse("anon 1\nfile 2\nkernel 3\nkernel_stack 9\n"
        + "shmem 4\nfile_mapped 5\nfile_dirty 6\nslab 7\npercpu 8\nsock 10\n"));
    assertEquals(OptionalLong.of(1), m.anonBytes());
    assertEquals(OptionalLong.of(2), m.fileBytes());
    assertEquals(OptionalLong.of(3), m.kernelBytes(), "kernel, not kernel_stack");
    assertEquals(OptionalLong.of(4), m.shmemBytes());
    assertEquals(OptionalLong.of(5), m.fileMappedBytes());
    assertEquals(OptionalLong.of(6), m.fileDirtyBytes());
    assertEquals(OptionalLong.of(7), m.slabBytes());
    assertEquals(OptionalLong.of(8), m.percpuBytes());
    assertEquals(OptionalLong.of(10), m.sockBytes());
    assertTrue(m.own().isEmpty(), "v2 has no local figures");
  }

  @Test
  void v1TotalKeysAreTheSubtreeFiguresAndLocalKeysTheOwnCharges() throws Exception {
    MemoryStat m = MemoryStatTranslation.v1(FlatKeyedParser.parse("cache 100\nrss 200\nshmem 30\nmapped_file 40\n"
        + "dirty 5\ntotal_cache 1000\ntotal_rss 2000\ntotal_shmem 300\ntotal_mapped_file 400\ntotal_dirty 50\n"));
    assertEquals(OptionalLong.of(1000), m.fileBytes());
    assertEquals(OptionalLong.of(2000), m.anonBytes());
    assertEquals(OptionalLong.of(300), m.shmemBytes());
    assertEquals(OptionalLong.of(400), m.fileMappedBytes());
    assertEquals(OptionalLong.of(50), m.fileDirtyBytes());
    assertEquals(OptionalLong.empty(), m.kernelBytes(), "v1 has no kernel figure");
    assertEquals(OptionalLong.of(100), m.own().orElseThrow().fileBytes());
    assertEquals(OptionalLong.of(200), m.own().orElseThrow().anonBytes());
    assertEquals(OptionalLong.of(40), m.own().orElseThrow().fileMappedBytes());
    assertEquals(OptionalLong.empty(), m.own().orElseThrow().usageBytes(), "v1 has no local usage");
  }
}
