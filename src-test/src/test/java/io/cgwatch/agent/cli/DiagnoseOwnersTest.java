package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a user sees in {@code cgwatch diagnose} (JSON and text) about who leaves dying cgroups, on the fixture
 * hosts built from real path shapes: Kubernetes pods under both cgroup drivers named from {@code /var/log/pods},
 * a pod whose log directory is missing shown by UID, QoS slices, Docker/Podman containers, a libvirt machine and
 * systemd units.
 */
class DiagnoseOwnersTest {
  @Test
  void kubeletSystemdDriverNode() throws Exception {
    JsonNode owners = owners("owners-k8s-systemd");
    assertEquals("per_parent", owners.get("dying_attribution").asText());
    assertEquals(3, owners.get("pod_log_dirs").asInt(), "3 pods named; the 3 impostor directories skipped");
    assertEquals(List.of(
        "pod shop/cart-7d9f5b6c4-x2k4p burstable dying=3 orphaned=25165824",
        "pod -/c41d8e2b-7a35-4f19-b6c0-93e2d1f4a857 besteffort dying=2 orphaned=6291456",
        "slice -/system.slice - dying=2 orphaned=3145728",
        "qos -/burstable burstable dying=1 orphaned=2097152",
        "pod kube-system/etcd-node-1 guaranteed dying=1 orphaned=1048576"), rows(owners));
    JsonNode cart = owners.get("owners").get(0);
    assertEquals("6e3c2f9a-8b1d-4c5e-9f7a-2b3c4d5e6f70", cart.get("pod_uid").asText());
    assertTrue(cart.get("container").isNull(), "a pod's containers roll up into it");
  }

  @Test
  void kubeletCgroupfsDriverNode() throws Exception {
    assertEquals(List.of(
        "pod shop/cart-7d9f5b6c4-x2k4p burstable dying=3 orphaned=25165824",
        "pod -/c41d8e2b-7a35-4f19-b6c0-93e2d1f4a857 besteffort dying=2 orphaned=6291456",
        "pod kube-system/etcd-node-1 guaranteed dying=1 orphaned=1048576"), rows(owners("owners-k8s-cgroupfs")));
  }

  @Test
  void containersAndMachinesOnASystemdHost() throws Exception {
    JsonNode owners = owners("owners-containers");
    assertEquals(List.of(
        "slice -/system.slice - dying=4 orphaned=12582912",
        "container -/5e5e5e5e5e5e - dying=2 orphaned=5242880",
        "service -/user@1000.service - dying=1 orphaned=2097152",
        "machine -/qemu-1-ubuntu - dying=1 orphaned=1048576"), rows(owners));
    JsonNode podman = owners.get("owners").get(1);
    assertEquals("podman", podman.get("runtime").asText());
    assertEquals("5e".repeat(32), podman.get("container").asText());
  }

  @Test
  void textReportNamesTheOwners() {
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", Fixtures.host("owners-k8s-systemd").toString());
    assertEquals(0, r.exitCode(), r.err());
    String section = r.out().substring(r.out().indexOf("by owner:"));
    section = section.substring(0, section.indexOf("\n\n"));
    assertTrue(section.contains("pod shop/cart-7d9f5b6c4-x2k4p (burstable)"), section);
    assertTrue(section.contains("pod UID c41d8e2b-7a35-4f19-b6c0-93e2d1f4a857 (besteffort)"), section);
    assertTrue(section.contains("pods named by /var/log/pods: 3"), section);
  }

  private static JsonNode owners(String host) throws Exception {
    CliRunner.Result r = CliRunner.run("diagnose", "--json", "--host-root", Fixtures.host(host).toString());
    assertEquals(0, r.exitCode(), r.err());
    return new ObjectMapper().readTree(r.out()).get("owners");
  }

  private static List<String> rows(JsonNode owners) {
    List<String> out = new ArrayList<>();
    for (JsonNode o : owners.get("owners")) {
      out.add(o.get("kind").asText() + " " + (o.get("namespace").isNull() ? "-" : o.get("namespace").asText()) + "/"
          + o.get("name").asText() + " " + (o.get("qos").isNull() ? "-" : o.get("qos").asText()) + " dying="
          + o.get("dying").asLong() + " orphaned=" + o.get("orphaned_file_bytes").asLong());
    }
    return out;
  }
}
