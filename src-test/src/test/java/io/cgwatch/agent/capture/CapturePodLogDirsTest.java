package io.cgwatch.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cgwatch.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture copies the names of the kubelet's pod log directories the reader would use (empty directories, never a
 * log), so a capture names its pods as the node did; the impostor names are left out, and an anonymized capture
 * keeps none (namespaces and pod names say what runs where).
 */
class CapturePodLogDirsTest {
  @Test
  void copiesTheNamesTheReaderUsesAndNothingElse(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("c");
    assertEquals(0, CaptureCommandTest.capture("--host-root", Fixtures.host("owners-k8s-systemd").toString(),
        out.toString()).exitCode());
    try (Stream<Path> s = Files.list(out.resolve("var/log/pods"))) {
      assertEquals(List.of("kube-system_etcd-node-1_9a2e6c14-3f8b-4d71-a5e9-0c6b2d8f1e37",
          "monitoring_node-exporter-8xk2v_0b7f3a52-1c9e-4d27-8a16-5e4f3c2b1a09",
          "shop_cart-7d9f5b6c4-x2k4p_6e3c2f9a-8b1d-4c5e-9f7a-2b3c4d5e6f70"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (Stream<Path> s = Files.walk(out.resolve("var/log/pods"))) {
      assertFalse(s.anyMatch(Files::isRegularFile), "no log is copied");
    }
  }

  @Test
  void anAnonymizedCaptureKeepsNoPodNames(@TempDir Path tmp) {
    Path out = tmp.resolve("c");
    assertEquals(0, CaptureCommandTest.capture("--anonymize", "--host-root",
        Fixtures.host("owners-k8s-systemd").toString(), out.toString()).exitCode());
    assertFalse(Files.exists(out.resolve("var/log/pods")));
  }
}
