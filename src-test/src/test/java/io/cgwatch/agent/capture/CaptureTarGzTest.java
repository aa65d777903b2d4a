package io.cgwatch.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** A .tar.gz capture, unpacked by the system's tar, reads back like the directory capture. */
@EnabledIf(value = "hasTar", disabledReason = "needs tar on the PATH")
class CaptureTarGzTest {
  static boolean hasTar() {
    try {
      return new ProcessBuilder("tar", "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void tarGzUnpacksToTheSameHost(@TempDir Path tmp) throws Exception {
    for (String fixture : new String[] {"hybrid-6.18", "unified-6.1-dying"}) {
      Path host = Fixtures.host(fixture);
      Path archive = tmp.resolve(fixture + ".tar.gz");
      CaptureCommandTest.Run r = CaptureCommandTest.capture("--host-root", host.toString(), archive.toString());
      assertEquals(0, r.exitCode(), r.err());
      Path unpacked = Files.createDirectories(tmp.resolve(fixture));
      Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString())
          .redirectErrorStream(true).start();
      assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
      String log = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, tar.exitValue(), log); // (it may warn that the test clock's mtimes are in the future)
      JsonNode expected = CaptureJson.diagnose(host, CaptureJson.BY_DESIGN);
      CaptureJson.assertSameJson(expected, CaptureJson.diagnose(unpacked, CaptureJson.BY_DESIGN));
    }
  }

  @Test
  void longPathsSurviveTheArchive(@TempDir Path tmp) throws Exception {
    Path archive = tmp.resolve("long.tar.gz");
    String deep = "sys/fs/cgroup/" + "a-rather-long-cgroup-name-for-a-slice.slice/".repeat(8) + "cgroup.stat";
    String longName = "sys/fs/cgroup/" + "x".repeat(120) + "/cgroup.stat";
    try (TarGzSink sink = new TarGzSink(archive, 0)) {
      sink.file(deep, "nr_descendants 0\n".getBytes(StandardCharsets.US_ASCII), 1_700_000_000_000L);
      sink.file(longName, "ok\n".getBytes(StandardCharsets.US_ASCII), -1);
      sink.finish();
    }
    Path unpacked = Files.createDirectories(tmp.resolve("u"));
    Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString())
        .redirectErrorStream(true).start();
    assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals("nr_descendants 0\n", Files.readString(unpacked.resolve(deep)));
    assertEquals(1_700_000_000_000L, Files.getLastModifiedTime(unpacked.resolve(deep)).toMillis());
    assertEquals("ok\n", Files.readString(unpacked.resolve(longName)));
  }

  @Test
  void existingArchiveIsBadUsage(@TempDir Path tmp) throws IOException {
    Path archive = Files.writeString(tmp.resolve("old.tar.gz"), "x");
    CaptureCommandTest.Run r = CaptureCommandTest.capture("--host-root", Fixtures.host("legacy-v1").toString(),
        archive.toString());
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("already exists"), r.err());
  }
}
