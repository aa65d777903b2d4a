package io.cgwatch.agent.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.model.Owner;
import io.cgwatch.model.PodLogDir;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every convention of docs/owners.md, on path shapes as systemd, the kubelet and the runtimes make them: the
 * owner a user would name. Hostile and random names resolve to something and never throw.
 */
class OwnerResolverTest {
  static final String UID = "6e3c2f9a-8b1d-4c5e-9f7a-2b3c4d5e6f70";
  static final String UID_ = UID.replace('-', '_');
  static final String CID = "4f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
  static final OwnerResolver NAMED = new OwnerResolver(List.of(new PodLogDir("shop", "cart-7d9f-x2k4p", UID)));
  static final OwnerResolver UNNAMED = new OwnerResolver(List.of());

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /                                                                     | root      | /
      /system.slice                                                         | slice     | system.slice
      /system.slice/cron.service                                            | service   | cron.service
      /system.slice/cron.service/run-1.scope                                | scope     | run-1.scope
      /system.slice/foo\\x2dbar.service                                      | service   | foo-bar.service
      /system.slice/system-getty.slice/getty@tty1.service                   | service   | getty@tty1.service
      /system.slice/system-systemd\\x2dfsck.slice/systemd-fsck@dev-sda1.service | service | systemd-fsck@dev-sda1.service
      /user.slice                                                           | slice     | user.slice
      /user.slice/user-1000.slice                                           | slice     | user-1000.slice
      /user.slice/user-1000.slice/user@1000.service                         | service   | user@1000.service
      /user.slice/user-1000.slice/user@1000.service/app.slice               | service   | user@1000.service
      /user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-4711.scope | scope | app-firefox-4711.scope
      /user.slice/user-1000.slice/session-3.scope                           | scope     | session-3.scope
      /machine.slice                                                        | slice     | machine.slice
      /machine.slice/machine-qemu\\x2d1\\x2dubuntu.scope                      | machine   | qemu-1-ubuntu
      /machine.slice/machine-qemu\\x2d1\\x2dubuntu.scope/libvirt/vcpu0       | machine   | qemu-1-ubuntu
      /jobs                                                                 | unknown   | /jobs
      /jobs/job-1/deeper                                                    | unknown   | /jobs
      /init.scope                                                           | scope     | init.scope
      """)
  void systemdAndPlainPaths(String path, String kind, String name) {
    Owner o = UNNAMED.resolve(path);
    assertEquals(kind, o.kind().label(), path);
    assertEquals(name, o.name(), path);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod@U_@.slice                                  | burstable  |          |
      /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod@U_@.slice/cri-containerd-@C@.scope         | burstable  | containerd | @C@
      /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod@U_@.slice/crio-@C@.scope                 | besteffort | cri-o    | @C@
      /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod@U_@.slice/crio-conmon-@C@.scope          | besteffort | cri-o    | @C@
      /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod@U_@.slice/crio-@C@.scope/container       | besteffort | cri-o    | @C@
      /kubepods.slice/kubepods-pod@U_@.slice/cri-containerd-@C@.scope                                            | guaranteed | containerd | @C@
      /kubepods.slice/kubepods-pod@U_@.slice/docker-@C@.scope                                                    | guaranteed | docker   | @C@
      /kubepods/burstable/pod@U@                                                                                 | burstable  |          |
      /kubepods/burstable/pod@U@/@C@                                                                             | burstable  |          | @C@
      /kubepods/besteffort/pod@U@/@C@                                                                            | besteffort |          | @C@
      /kubepods/pod@U@/@C@                                                                                       | guaranteed |          | @C@
      """)
  void kubernetesPodsBothDriversEveryQosClass(String shape, String qos, String runtime, String container) {
    String path = shape.replace("@U_@", UID_).replace("@U@", UID).replace("@C@", CID);
    Owner named = NAMED.resolve(path);
    assertEquals(Owner.Kind.POD, named.kind(), path);
    assertEquals("cart-7d9f-x2k4p", named.name());
    assertEquals(Optional.of("shop"), named.namespace());
    assertEquals(Optional.of(UID), named.podUid());
    assertEquals(Optional.of(qos), named.qos());
    assertEquals(Optional.ofNullable(runtime), named.runtime());
    assertEquals(Optional.ofNullable(container == null ? null : CID), named.container());

    Owner unnamed = UNNAMED.resolve(path); // no /var/log/pods visible: the UID is the name
    assertEquals(UID, unnamed.name());
    assertEquals(Optional.empty(), unnamed.namespace());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /kubepods.slice                                      | kubepods
      /kubepods.slice/kubepods-burstable.slice             | burstable
      /kubepods/besteffort                                 | besteffort
      /kubepods                                            | kubepods
      """)
  void qosLevelsWithoutAPod(String path, String name) {
    Owner o = NAMED.resolve(path);
    assertEquals(Owner.Kind.QOS, o.kind());
    assertEquals(name, o.name());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /system.slice/docker-@C@.scope                                                    | docker
      /docker/@C@                                                                       | docker
      /machine.slice/libpod-@C@.scope                                                   | podman
      /machine.slice/libpod-@C@.scope/container                                         | podman
      /machine.slice/libpod-conmon-@C@.scope                                            | podman
      /machine.slice/machine-libpod_pod_0123456789ab.slice/libpod-@C@.scope             | podman
      /user.slice/user-1000.slice/user@1000.service/user.slice/libpod-@C@.scope         | podman
      /libpod_parent/libpod-@C@                                                         | podman
      /system.slice/cri-containerd-@C@.scope                                            | containerd
      /containerd/@C@                                                                   | containerd
      /system.slice/crio-@C@.scope                                                      | cri-o
      """)
  void containersOutsideKubernetes(String shape, String runtime) {
    String path = shape.replace("@C@", CID);
    Owner o = NAMED.resolve(path);
    assertEquals(Owner.Kind.CONTAINER, o.kind(), path);
    assertEquals(CID.substring(0, 12), o.name());
    assertEquals(Optional.of(CID), o.container());
    assertEquals(Optional.of(runtime), o.runtime());
  }

  @Test
  void aNameThatOnlyLooksLikeAConventionIsNotOne() {
    // not hex, too short, wrong UID shape: the nearest real convention above wins
    assertEquals(Owner.of(Owner.Kind.SCOPE, "docker-<script>.scope"), NAMED.resolve("/system.slice/docker-<script>.scope"));
    assertEquals(Owner.of(Owner.Kind.UNKNOWN, "/docker"), NAMED.resolve("/docker/abc"));
    assertEquals(Owner.Kind.QOS, NAMED.resolve("/kubepods/burstable/podnot-a-uid/" + CID).kind());
    assertEquals(Owner.of(Owner.Kind.UNKNOWN, "/pod" + UID), NAMED.resolve("/pod" + UID)); // no kubepods above
  }

  @Test
  void escapesAreUndoneButBrokenOnesStayAsWritten() {
    assertEquals("a-b.service", NAMED.resolve("/a\\x2db.service").name());
    assertEquals("caf\u00e9.service", NAMED.resolve("/caf\\xc3\\xa9.service").name()); // UTF-8 bytes
    assertEquals("a\\x2.service", NAMED.resolve("/a\\x2.service").name());
    assertEquals("a\\xzz.service", NAMED.resolve("/a\\xzz.service").name());
    assertEquals("a\ufffd.service", NAMED.resolve("/a\\xff.service").name()); // not UTF-8
    assertEquals("trailing\\x", NAMED.resolve("/trailing\\x").name().substring(1));
    // a decoded newline or quote is a name like any other: renderers escape it
    assertEquals("evil\n\"x\".service", NAMED.resolve("/evil\\x0a\\x22x\\x22.service").name());
  }

  @Test
  void randomPathsAlwaysResolveAndNeverThrow() {
    Random r = new Random(17);
    String alphabet = "/\\x2dkubepods.slicepod_-0123456789abcdef.scope.service\n\"{}\u00e9\ufffd\u0000 ";
    String[] seeds = {"/kubepods.slice/kubepods-burstable-pod", "/kubepods/pod", "/machine.slice/machine-",
        "/system.slice/docker-", "/docker/", "/libpod_parent/libpod-", "/user.slice/user-1000.slice/"};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(seeds[r.nextInt(seeds.length)]);
      int n = r.nextInt(80);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      Owner o = NAMED.resolve(sb.toString());
      assertNotNull(o.kind(), sb.toString());
      assertNotNull(o.name(), sb.toString());
      assertTrue(!o.name().isEmpty(), sb.toString());
    }
    assertEquals(Owner.Kind.ROOT, NAMED.resolve(null).kind());
    assertEquals(Owner.Kind.ROOT, NAMED.resolve("").kind());
    assertEquals(Owner.Kind.ROOT, NAMED.resolve("//").kind());
  }
}
