package io.cgwatch.exporters;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.json.JsonReportMapper;
import io.cgwatch.exporters.text.Remedies;
import io.cgwatch.exporters.text.TextReportRenderer;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Advice never contradicts the capability probe: on every fixture capture and timeline step, a report whose
 * capabilities say {@code memory.reclaim no} advises neither {@code cgwatch reclaim} nor a write to
 * {@code memory.reclaim}, in the text, in the JSON advice or in any alert's remedy sentence; one that says
 * {@code yes} offers it wherever v2 page cache pins dying cgroups.
 */
class AdviceFollowsProbeTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  private static final Pattern RECLAIM_LINE = Pattern.compile("capabilities: .*memory\\.reclaim (yes|no)");

  static Stream<Path> captures() {
    List<Path> all = new ArrayList<>(Fixtures.hostNames().stream().map(Fixtures::host).toList());
    for (String step : List.of("t0", "t1", "t2", "t3", "t4")) {
      all.add(Fixtures.dir().resolve("timelines/v2-6.1-jobs").resolve(step));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void adviceAgreesWithTheProbe(Path host) throws IOException {
    Analysis a = new Analyzer(CLOCK, TrackerSettings.DEFAULTS, Duration.ofHours(1))
        .analyze(new CgroupScanner().scan(HostRoots.of(host), ScanOptions.DEFAULTS, CLOCK));
    StringWriter text = new StringWriter();
    TextReportRenderer.render(a, text);
    Matcher m = RECLAIM_LINE.matcher(text.toString());
    assertTrue(m.find(), text.toString());
    boolean probed = "yes".equals(m.group(1));
    assertTrue(probed == a.snapshot().capabilities().memoryReclaim());

    StringBuilder advice = new StringBuilder(text.toString());
    JsonReportMapper.toDocument(a).stillDying().parents().forEach(p -> advice.append('\n').append(p.advice()));
    for (HierarchySnapshot h : a.snapshot().hierarchies()) {
      a.orphaned().stream().filter(o -> o.hierarchy().equals(h.name()))
          .forEach(o -> advice.append('\n').append(Remedies.forAlert(a, h.name(), o.path())));
      advice.append('\n').append(Remedies.forAlert(a, h.name(), "/"));
    }
    String all = advice.toString();
    if (!probed) {
      assertFalse(all.contains("cgwatch reclaim"), all);
      assertFalse(all.contains("/memory.reclaim'"), all);
    }
    boolean v2PageCacheCause = a.stillDying().parents().stream().anyMatch(p -> p.cause().label().endsWith("page_cache")
        && a.snapshot().hierarchies().stream().anyMatch(h -> h.name().equals(p.hierarchy()) && h.version() == 2));
    if (probed && v2PageCacheCause) {
      assertTrue(all.contains("cgwatch reclaim --cgroup"), all);
    }
  }
}
