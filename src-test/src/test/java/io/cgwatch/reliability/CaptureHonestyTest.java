package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.support.Fixtures;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures that are not what they claim: cut short by a limit, killed (no record), a record cut short (disk full),
 * a capture stuck in a read, and archives that are damaged or built to explode.
 */
class CaptureHonestyTest {
  private static Path capture(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("capture", "--host-root",
        Fixtures.host("unified-6.1-dying").toString()));
    args.addAll(List.of(extra));
    args.add(out.toString());
    CliRunner.run(args.toArray(String[]::new));
    return out;
  }

  private static void refusedThenAllowed(Path capture, String why) {
    for (String cmd : List.of("replay", "diagnose")) {
      String[] args = cmd.equals("replay") ? new String[] {"replay", capture.toString()}
          : new String[] {"diagnose", "--host-root", capture.toString()};
      CliRunner.Result r = CliRunner.run(args);
      assertEquals(3, r.exitCode(), cmd + ": " + r.out() + r.err());
      assertTrue(r.err().contains("INCOMPLETE CAPTURE") && r.err().contains(why), cmd + ": " + r.err());
      assertTrue(r.err().contains("--allow-incomplete"), r.err());
      assertEquals("", r.out(), "no report that would pass for the whole host");
      String[] allowed = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--allow-incomplete")).toArray(String[]::new);
      CliRunner.Result a = CliRunner.run(allowed);
      assertTrue(a.exitCode() <= 2, cmd + " --allow-incomplete: " + a.out() + a.err());
      assertTrue(a.err().contains("WARNING: INCOMPLETE CAPTURE"), a.err());
    }
  }

  @Test
  void aCompleteCaptureReadsAsBefore(@TempDir Path tmp) throws Exception {
    Path c = capture(tmp.resolve("c"));
    String record = Files.readString(c.resolve("CAPTURED"));
    assertTrue(record.endsWith("complete: yes\n"), record);
    assertEquals(0, CliRunner.run("replay", c.toString()).exitCode());
    assertTrue(CliRunner.run("diagnose", "--host-root", c.toString()).exitCode() <= 2);
  }

  @Test
  void captureStoppedByALimitIsRefused(@TempDir Path tmp) {
    Path c = capture(tmp.resolve("c"), "--max-files", "8");
    refusedThenAllowed(c, "--max-files 8 reached");
  }

  @Test
  void killedCaptureWithoutRecordIsRefused(@TempDir Path tmp) throws Exception {
    Path c = capture(tmp.resolve("c"));
    Files.delete(c.resolve("CAPTURED")); // as if killed before the record existed: INODES tells it is a capture
    refusedThenAllowed(c, "no CAPTURED record");
    Path d = capture(tmp.resolve("d"));
    Files.writeString(d.resolve("CAPTURED"), "complete: NO, in progress (a capture that stops here was killed)\n");
    refusedThenAllowed(d, "in progress");
  }

  @Test
  void recordCutShortIsRefused(@TempDir Path tmp) throws Exception {
    Path c = capture(tmp.resolve("c"));
    String record = Files.readString(c.resolve("CAPTURED"));
    Files.writeString(c.resolve("CAPTURED"), record.substring(0, record.indexOf("cgroup.procs:")));
    refusedThenAllowed(c, "no complete: line");
  }

  @Test
  void fixtureTreesAndHostRootsWithoutRecordAreNotCaptures() {
    // fixtures/hosts/edge-* have neither CAPTURED nor INODES: fake trees, read as they are
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", Fixtures.host("edge-no-psi").toString());
    assertTrue(r.exitCode() <= 2, r.err());
    assertFalse(r.err().contains("INCOMPLETE"), r.err());
  }

  @Test
  void tarBombTruncatedArchiveAndGarbageAreClearErrors(@TempDir Path tmp) throws Exception {
    // 64 MiB of zeros in one entry: about 64 KiB gzipped, a ratio of 1000
    Path bomb = tmp.resolve("bomb.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
      byte[] header = new byte[512];
      byte[] name = "proc/zeros".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, header, 0, name.length);
      byte[] size = String.format("%011o", 64L << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      System.arraycopy(size, 0, header, 124, size.length);
      header[156] = '0';
      out.write(header);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        out.write(zeros);
      }
    }
    CliRunner.Result r = NoHang.run("replay bomb", () -> CliRunner.run("replay", bomb.toString()));
    assertEquals(3, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains(bomb.toString()) && r.err().contains("decompression bomb"), r.err());

    Path good = tmp.resolve("good.tar.gz");
    capture(good);
    byte[] bytes = Files.readAllBytes(good);
    Path cut = tmp.resolve("cut.tar.gz");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    CliRunner.Result c = CliRunner.run("replay", cut.toString());
    assertEquals(3, c.exitCode(), c.out() + c.err());
    assertTrue(c.err().contains(cut.toString()) && c.err().contains("cut short"), c.err());
    assertFalse(c.err().contains("Exception"), "a message, not a stack trace: " + c.err());

    Path garbage = tmp.resolve("garbage.tar.gz");
    Files.writeString(garbage, "this is not gzip\n");
    CliRunner.Result g = CliRunner.run("replay", garbage.toString());
    assertTrue(g.exitCode() != 0, g.out() + g.err());
    assertTrue(g.err().contains(garbage.toString()), g.err());
    assertFalse(g.err().contains("\tat "), "no stack trace: " + g.err());
  }

  @Test
  void captureTimeoutHoldsWhileAReadIsStuckInTheKernel(@TempDir Path tmp) throws Exception {
    Path strace = Reliability.require("strace", "strace");
    Path src = tmp.resolve("src");
    io.cgwatch.fixtures.HostTree t = io.cgwatch.fixtures.HostTree.unified(src).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 1\nnr_dying_descendants 0\n");
    Path stuck = t.cgroup("/a").file("memory.current", "4096\n").dir().resolve("memory.current");
    Path out = tmp.resolve("out");
    List<String> cmd = new ArrayList<>(List.of(strace.toString(), "-f", "-qq", "-o", "/dev/null", "--seccomp-bpf",
        "-e", "trace=%file", "-P", stuck.toString(), "-e", "inject=%file:delay_enter=600s"));
    cmd.addAll(ServeProcess.java("-Xmx128m"));
    cmd.addAll(List.of("capture", "--timeout", "1s", "--host-root", src.toString(), out.toString()));
    // strace keeps the held thread, and with it the exiting JVM, until it is killed: wait for cgwatch's answer on
    // stderr, then kill strace (which lets the held call go) and the JVM.
    Path err = tmp.resolve("err");
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile())
        .start();
    String said = "";
    try {
      for (int i = 0; i < 600 && !said.contains("capture incomplete"); i++) {
        Thread.sleep(50);
        said = Files.readString(err);
      }
    } finally {
      List<ProcessHandle> jvm = p.descendants().toList();
      p.destroyForcibly().waitFor();
      jvm.forEach(ProcessHandle::destroyForcibly);
    }
    double took = (System.nanoTime() - start) / 1e9;
    System.out.printf("capture --timeout 1s with a read held in the kernel: answered after %.1f s%n", took);
    assertTrue(said.contains("capture incomplete: --timeout 1s reached while a read had not returned"), said);
    assertTrue(Files.readString(out.resolve("CAPTURED")).contains("in progress"));
    refusedThenAllowed(out, "in progress");
  }
}
