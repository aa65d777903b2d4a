package io.cgwatch.model;

import java.util.Optional;

/** PSI of one cgroup; each resource is absent when its file is (kernels before 4.20, PSI disabled). */
public record PressureSnapshot(Optional<Pressure> memory, Optional<Pressure> cpu, Optional<Pressure> io) {
  public boolean isEmpty() {
    return memory.isEmpty() && cpu.isEmpty() && io.isEmpty();
  }
}
