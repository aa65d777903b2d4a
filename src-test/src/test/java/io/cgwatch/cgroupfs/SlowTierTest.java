package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read tiers: a scan that carries the slow tier reads none of its files for the cgroups it carries, and the
 * carried snapshot is the snapshot a full scan gives, cgroup for cgroup, on every fixture host; a cgroup the
 * carried set does not name (new, or made again with another inode) is read in full.
 */
class SlowTierTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T21:00:00Z"), ZoneOffset.UTC);
  private static final Set<String> SLOW = union(ReadPlan.V2_SLOW_FILES, ReadPlan.V1_MEMORY_SLOW_FILES);

  @Test
  void aCarriedScanEqualsAFullScanOnEveryFixtureHost() {
    long slowTierErrors = 0;
    for (String host : Fixtures.hostNames()) {
      HostRoots roots = HostRoots.of(Fixtures.host(host));
      HostSnapshot full = new CgroupScanner().scan(roots, ScanOptions.DEFAULTS, CLOCK);
      Recording fast = new Recording();
      HostSnapshot read = new CgroupScanner(fast).scan(roots,
          ScanOptions.DEFAULTS.withSlowTierCarried(SlowTierCarry.keys(full)), CLOCK);
      assertEquals(Set.of(), intersection(fast.names, SLOW), host + ": slow-tier files read while carried");
      HostSnapshot carried = SlowTierCarry.carry(full, read);
      assertEquals(full.cgroups(), carried.cgroups(), host);
      assertEquals(Set.copyOf(full.scan().errors()), Set.copyOf(carried.scan().errors()),
          host + ": a slow-tier file's error is reported in the scans that carry it too");
      slowTierErrors += full.scan().errors().stream().filter(e -> SLOW.contains(e.file())).count();
    }
    assertTrue(slowTierErrors > 0, "some fixture host has a broken slow-tier file");
  }

  @Test
  void theFixturesHaveSlowTierValuesToCarry() {
    HostSnapshot full = new CgroupScanner().scan(HostRoots.of(Fixtures.host("unified-6.1-dying")),
        ScanOptions.DEFAULTS, CLOCK);
    HostSnapshot read = new CgroupScanner().scan(HostRoots.of(Fixtures.host("unified-6.1-dying")),
        ScanOptions.DEFAULTS.withSlowTierCarried(SlowTierCarry.keys(full)), CLOCK);
    assertTrue(full.cgroups().stream().anyMatch(c -> c.memory().flatMap(m -> m.max()).isPresent()
        && c.pressure().isPresent()), "limits and PSI in the full scan");
    assertTrue(read.cgroups().stream().noneMatch(c -> c.memory().flatMap(m -> m.max()).isPresent()
        || c.pressure().isPresent() || c.pids().isPresent()), "none read while carried");
    assertTrue(read.cgroups().stream().allMatch(c -> c.depth() > 0 || c.nrDyingDescendants().isPresent()),
        "the fast tier is read");
  }

  @Test
  void aCgroupMadeAgainOrNewIsReadInFull(@TempDir Path tmp) throws IOException {
    Fixtures.copyTree(Fixtures.host("unified-6.1-dying"), tmp);
    HostRoots roots = HostRoots.of(tmp);
    HostSnapshot first = new CgroupScanner().scan(roots, ScanOptions.DEFAULTS, CLOCK);
    Path ssh = tmp.resolve("sys/fs/cgroup/system.slice/ssh.service");
    Path made = tmp.resolve("sys/fs/cgroup/system.slice/new.service");
    Fixtures.copyTree(ssh, made);
    Files.writeString(made.resolve("memory.max"), "1048576\n");

    HostSnapshot read = new CgroupScanner().scan(roots,
        ScanOptions.DEFAULTS.withSlowTierCarried(SlowTierCarry.keys(first)), CLOCK);
    HostSnapshot carried = SlowTierCarry.carry(first, read);
    CgroupSnapshot fresh = find(carried, "/system.slice/new.service");
    assertEquals(1048576L, fresh.memory().orElseThrow().max().orElseThrow().value(),
        "a cgroup the last scan did not have is read in full");
    assertEquals(find(first, "/system.slice/ssh.service").memory().orElseThrow().max(),
        find(carried, "/system.slice/ssh.service").memory().orElseThrow().max(), "carried");
  }

  private static CgroupSnapshot find(HostSnapshot s, String path) {
    return s.cgroups().stream().filter(c -> c.path().equals(path)).findFirst().orElseThrow(() ->
        new AssertionError(path + " not in " + s.cgroups().stream().map(CgroupSnapshot::path).toList()));
  }

  private static final class Recording extends ForwardingControlFiles {
    final List<String> names = new ArrayList<>();

    @Override
    public String read(Path file) throws IOException {
      names.add(String.valueOf(file.getFileName()));
      return super.read(file);
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private static Set<String> intersection(List<String> read, Set<String> slow) {
    Set<String> out = new TreeSet<>(read);
    out.retainAll(slow);
    return out;
  }
}
