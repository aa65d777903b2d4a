package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import org.junit.jupiter.api.Test;

/** {@code cgwatch reclaim} through the real command line: a dry run by default, refusals as plain answers. */
class ReclaimCliTest {
  @Test
  void dryRunByDefault() {
    CliRunner.Result r = CliRunner.run("reclaim", "--host-root", Fixtures.host("unified-6.1-dying").toString(),
        "--cgroup", "/jobs");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("would write: echo 33554432 > /sys/fs/cgroup/jobs/memory.reclaim"), r.out());
    assertTrue(r.out().contains("dry run: nothing written"), r.out());
  }

  @Test
  void aRefusalPrintsItsReasonNotTheUsage() {
    CliRunner.Result r = CliRunner.run("reclaim", "--host-root", Fixtures.host("legacy-v1").toString(),
        "--cgroup", "/system.slice");
    assertEquals(3, r.exitCode());
    assertTrue(r.err().startsWith("cgwatch reclaim: reclaim refused: the memory controller is on cgroup v1"), r.err());
    assertFalse(r.err().contains("Usage:"), r.err());
  }
}
