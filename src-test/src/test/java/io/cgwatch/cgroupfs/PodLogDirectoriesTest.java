package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.PodLogDir;
import io.cgwatch.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kubelet's {@code /var/log/pods/<namespace>_<name>_<uid>} names as the scanner reads them: only exact shapes
 * become pods, anything else (any root process can mkdir there) is skipped without an error, and a host without
 * the directory is normal.
 */
class PodLogDirectoriesTest {
  static final String UID = "6e3c2f9a-8b1d-4c5e-9f7a-2b3c4d5e6f70";

  @Test
  void kubeletShapesParse() {
    assertEquals(new PodLogDir("shop", "cart-7d9f5b6c4-x2k4p", UID),
        PodLogDirectories.parse("shop_cart-7d9f5b6c4-x2k4p_" + UID));
    assertEquals(new PodLogDir("kube-system", "etcd-node-1.example.com", UID),
        PodLogDirectories.parse("kube-system_etcd-node-1.example.com_" + UID));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Shop_cart_" + UID, "shop_Cart_" + UID, "a_b_c_" + UID, "shop_cart", "shop_cart_uid",
      "shop_cart_" + UID + "\n", "shop\n_cart_" + UID, "shop_ca\"rt_" + UID, "_cart_" + UID, "shop__" + UID,
      "-shop_cart_" + UID, "shop_cart-_" + UID, "shop_cart_" + "6E3C2F9A-8B1D-4C5E-9F7A-2B3C4D5E6F70", ""})
  void anythingElseIsSkipped(String name) {
    assertNull(PodLogDirectories.parse(name), name);
  }

  @Test
  void theFixtureNodeNamesItsPodsAndSkipsTheImpostors() {
    HostSnapshot s = new CgroupScanner().scan(HostRoots.of(Fixtures.host("owners-k8s-systemd")), ScanOptions.DEFAULTS,
        Clock.systemUTC());
    assertEquals(List.of("node-exporter-8xk2v", "cart-7d9f5b6c4-x2k4p", "etcd-node-1"),
        s.podLogDirs().stream().map(PodLogDir::name).toList()); // sorted by UID
    assertEquals(List.of(), s.scan().errors());
  }

  @Test
  void hostileEntriesAndNoDirectoryAtAllNeverFailTheScan(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp.resolve("host"));
    t.cgroup("/").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n");
    CgroupScanner scanner = new CgroupScanner();
    HostSnapshot none = scanner.scan(HostRoots.of(t.root()), ScanOptions.DEFAULTS, Clock.systemUTC());
    assertEquals(List.of(), none.podLogDirs());
    assertEquals(List.of(), none.scan().errors(), "no kubelet on this host is normal");

    Path pods = Files.createDirectories(t.root().resolve("var/log/pods"));
    Files.createDirectories(pods.resolve("shop_cart_" + UID));
    Files.createDirectories(pods.resolve("shop_cart\nfake_" + UID));
    Files.createDirectories(pods.resolve("shop_ca\u202ert_" + UID));
    Files.writeString(pods.resolve("shop_file_" + UID), ""); // a file, not a pod directory
    Files.createDirectories(tmp.resolve("elsewhere/ns_linked_" + UID));
    Files.createSymbolicLink(pods.resolve("ns_linked_" + UID), tmp.resolve("elsewhere/ns_linked_" + UID));
    HostSnapshot s = scanner.scan(HostRoots.of(t.root()), ScanOptions.DEFAULTS, Clock.systemUTC());
    assertEquals(List.of(new PodLogDir("shop", "cart", UID)), s.podLogDirs());
    assertEquals(List.of(), s.scan().errors());
  }
}
