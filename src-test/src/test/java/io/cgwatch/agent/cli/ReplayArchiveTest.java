package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.fixtures.HostTree;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** capture → replay through {@code .tar.gz} archives, as a user diagnoses a host after the fact. */
class ReplayArchiveTest {
  @Test
  void aCgroupRemovedBetweenTwoCapturesIsReplayedAsARemoval(@TempDir Path tmp) throws Exception {
    Path host = tmp.resolve("host");
    HostTree t = HostTree.unified(host).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 1\nnr_dying_descendants 0\n")
        .file("cgroup.controllers", "memory\n");
    t.cgroup("/job").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n")
        .file("memory.current", "8392704\n").file("memory.stat", "file 8388608\n");
    Path first = tmp.resolve("first.tar.gz");
    assertEquals(0, CliRunner.run("capture", "--host-root", host.toString(), first.toString()).exitCode());
    try (var walk = Files.walk(host.resolve("sys/fs/cgroup/job"))) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    t.cgroup("/").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 1\n");
    Path second = tmp.resolve("second.tar.gz");
    Thread.sleep(5); // the second capture must be later
    assertEquals(0, CliRunner.run("capture", "--host-root", host.toString(), second.toString()).exitCode());

    CliRunner.Result r = CliRunner.run("replay", "--json", first.toString(), second.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode l = new ObjectMapper().readTree(r.out()).get("lifecycle");
    assertEquals(1, l.get("removed").asInt());
    assertEquals("/job", l.get("zombies").get(0).get("path").asText(), "seen alive, then still dying");
    assertEquals(8388608L, l.get("zombies").get(0).get("charged_file_bytes").asLong());
  }

  @Test
  void anArchiveReachingOutsideIsRefused(@TempDir Path tmp) throws Exception {
    byte[] header = new byte[512];
    byte[] name = "../../evil".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, header, 0, name.length);
    System.arraycopy("0000644\0".getBytes(StandardCharsets.US_ASCII), 0, header, 100, 8);
    System.arraycopy("00000000000\0".getBytes(StandardCharsets.US_ASCII), 0, header, 124, 12);
    System.arraycopy("00000000000\0".getBytes(StandardCharsets.US_ASCII), 0, header, 136, 12);
    header[156] = '0';
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(header);
      gz.write(new byte[1024]);
    }
    Path evil = tmp.resolve("evil.tar.gz");
    Files.write(evil, bytes.toByteArray());
    CliRunner.Result r = CliRunner.run("replay", evil.toString());
    assertTrue(r.exitCode() != 0, r.out());
    assertTrue(r.err().contains("outside"), r.err());
    assertTrue(Arrays.stream(tmp.getParent().toFile().list()).noneMatch("evil"::equals));
  }
}
