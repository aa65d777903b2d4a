package io.cgwatch.agent.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootStatThrottleTest {
  @Test
  void aSlowRootReadIsRepeatedOnlyEveryTenthScanUntilItIsFastAgain() {
    RootStatThrottle t = new RootStatThrottle(Duration.ofMillis(100));
    assertTrue(t.shouldRead());
    assertFalse(t.record(0.05), "fast: nothing changes");
    assertTrue(t.record(0.4), "slow: throttled from now on");
    assertTrue(t.throttled());
    List<Boolean> reads = new ArrayList<>();
    for (int scan = 0; scan < 20; scan++) {
      boolean read = t.shouldRead();
      reads.add(read);
      t.record(read ? 0.4 : -1);
    }
    assertEquals(2, reads.stream().filter(r -> r).count(), "twice in 20 scans: " + reads);
    assertEquals(Boolean.TRUE, reads.get(9));
    while (!t.shouldRead()) {
      t.record(-1);
    }
    assertTrue(t.record(0.01), "fast again: unthrottled");
    assertTrue(t.shouldRead());
  }
}
