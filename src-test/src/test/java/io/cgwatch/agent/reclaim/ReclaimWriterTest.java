package io.cgwatch.agent.reclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.units.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReclaimWriterTest {
  @TempDir
  Path tmp;

  @Test
  void writesTheDecimalCountToAnExistingFile() throws Exception {
    Path f = tmp.resolve("memory.reclaim");
    Files.writeString(f, "");
    ReclaimWriter.Result r = ReclaimWriter.write(f, 33554432L, Duration.ofSeconds(5));
    assertEquals(ReclaimWriter.Outcome.RECLAIMED, r.outcome());
    assertEquals("33554432", Files.readString(f));
  }

  @Test
  void aMissingFileFailsAndIsNeverCreated() throws Exception {
    Path f = tmp.resolve("memory.reclaim");
    ReclaimWriter.Result r = ReclaimWriter.write(f, 4096, Duration.ofSeconds(5));
    assertEquals(ReclaimWriter.Outcome.FAILED, r.outcome());
    assertTrue(r.detail().contains("no such file"), r.detail());
    assertFalse(Files.exists(f), "the write must never create memory.reclaim");
  }

  @Test
  void eagainIsPartialNotAFailure() throws Exception {
    ReclaimWriter.Result r = ReclaimWriter.write(tmp.resolve("x"), 4096, Duration.ofSeconds(5),
        (file, payload) -> {
          throw new IOException("Resource temporarily unavailable");
        });
    assertEquals(ReclaimWriter.Outcome.PARTIAL, r.outcome());
    assertTrue(r.detail().contains("less than"), r.detail());
  }

  @Test
  void eagainAsJdk17FileChannelReportsItIsPartialToo() throws Exception {
    // what a real 6.1 kernel gave through Files.newOutputStream: EAGAIN became a 0-byte write
    ReclaimWriter.Result r = ReclaimWriter.write(tmp.resolve("x"), 4096, Duration.ofSeconds(5),
        (file, payload) -> {
          throw new RuntimeException("no bytes written");
        });
    assertEquals(ReclaimWriter.Outcome.PARTIAL, r.outcome());
  }

  @Test
  void otherErrorsFail() throws Exception {
    ReclaimWriter.Result r = ReclaimWriter.write(tmp.resolve("x"), 4096, Duration.ofSeconds(5),
        (file, payload) -> {
          throw new IOException("Permission denied");
        });
    assertEquals(ReclaimWriter.Outcome.FAILED, r.outcome());
    assertTrue(r.detail().contains("Permission denied"), r.detail());
  }

  @Test
  void aBlockedWriteTimesOutOnADaemonWorker() throws Exception {
    Thread[] worker = new Thread[1];
    long t0 = System.nanoTime();
    ReclaimWriter.Result r = ReclaimWriter.write(tmp.resolve("x"), 4096, Duration.ofMillis(100),
        (file, payload) -> {
          worker[0] = Thread.currentThread();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertEquals(ReclaimWriter.Outcome.TIMED_OUT, r.outcome());
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    assertTrue(worker[0].isDaemon());
    worker[0].join(2000);
    assertFalse(worker[0].isAlive(), "the worker is interrupted on timeout");
  }

  @Test
  void byteSizes() {
    assertEquals(4096, ByteSize.parse("4096"));
    assertEquals(4096, ByteSize.parse("4k"));
    assertEquals(512L << 20, ByteSize.parse("512M"));
    assertEquals(512L << 20, ByteSize.parse("512MiB"));
    assertEquals(1L << 30, ByteSize.parse("1G"));
    assertEquals(2L << 40, ByteSize.parse("2T"));
    assertEquals(100, ByteSize.parse("100B"));
    for (String bad : new String[] {"1.5G", "0", "-1", "", "G", "1P", "99999999999T", "1 G B"}) {
      assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(bad), bad);
    }
  }
}
