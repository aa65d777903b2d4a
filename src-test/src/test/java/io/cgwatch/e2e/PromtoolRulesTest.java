package io.cgwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped Prometheus rules ({@code deploy/prometheus/cgwatch-rules.yml}) pass the real {@code promtool check
 * rules} with lint errors fatal, and every unit test file in {@code deploy/prometheus/tests/} passes {@code promtool
 * test rules}. Also checks that every alert and recording rule has a test and every alert a runbook section.
 * A missing promtool is a failure: {@code .ci/run} installs the Debian {@code prometheus} package.
 */
@Tag("e2e")
class PromtoolRulesTest {
  private static final Duration PROMTOOL_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert:\\s*(\\S+)\\s*$");
  private static final Pattern RECORD = Pattern.compile("(?m)^\\s*- record:\\s*(\\S+)\\s*$");
  private static final Pattern RUNBOOK = Pattern.compile("runbook_url:\\s*(\\S+)");

  static Path repoRoot() {
    String fixtures = System.getProperty("fixtures.dir");
    if (fixtures == null) {
      return fail("system property fixtures.dir is not set (src-test/pom.xml sets it for surefire)");
    }
    return Path.of(fixtures, "..").toAbsolutePath().normalize();
  }

  static Path deployDir() {
    return repoRoot().resolve("deploy/prometheus");
  }

  static Path rulesFile() {
    return deployDir().resolve("cgwatch-rules.yml");
  }

  static List<Path> testFiles() throws IOException {
    Path dir = deployDir().resolve("tests");
    if (!Files.isDirectory(dir)) {
      return fail("no rule tests: " + dir + " is not a directory");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
      if (files.isEmpty()) {
        fail("no rule tests: no *.yml in " + dir);
      }
      return files;
    }
  }

  /** The test files by name (deploy/prometheus/tests/NAME), for readable test names. */
  static List<String> testFileNames() throws IOException {
    return testFiles().stream().map(p -> p.getFileName().toString()).toList();
  }

  @Test
  void rulesFilePassesPromtoolCheckRules() throws Exception {
    assertTrue(Files.isRegularFile(rulesFile()), "missing " + rulesFile());
    E2e.Run r = promtool("check", "rules", "--lint=all", "--lint-fatal", rulesFile().toString());
    if (r.exit() != 0) {
      fail("promtool check rules " + rulesFile() + " exited " + r.exit() + " and printed:\n" + r.output());
    }
    assertTrue(r.output().contains("SUCCESS"), "promtool check rules printed no SUCCESS:\n" + r.output());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("testFileNames")
  void ruleUnitTestsPass(String name) throws Exception {
    Path testFile = deployDir().resolve("tests").resolve(name);
    E2e.Run r = promtool("test", "rules", testFile.toString());
    if (r.exit() != 0) {
      fail("promtool test rules " + repoRoot().relativize(testFile) + " exited " + r.exit() + " and printed:\n"
          + r.output());
    }
    assertFalse(r.output().contains("FAILED"), "promtool test rules printed FAILED:\n" + r.output());
  }

  /** Every alert is the subject of an alert_rule_test and every recording rule is queried by a test. */
  @Test
  void everyRuleHasATest() throws Exception {
    String rules = Files.readString(rulesFile());
    StringBuilder tests = new StringBuilder();
    for (Path p : testFiles()) {
      tests.append(Files.readString(p)).append('\n');
    }
    Set<String> alerts = matches(ALERT, rules);
    Set<String> records = matches(RECORD, rules);
    assertFalse(alerts.isEmpty(), "no alert in " + rulesFile());
    assertFalse(records.isEmpty(), "no recording rule in " + rulesFile());
    Set<String> testedAlerts = matches(Pattern.compile("(?m)^\\s*alertname:\\s*(\\S+)\\s*$"), tests);
    List<String> missing = new ArrayList<>();
    for (String a : alerts) {
      if (!testedAlerts.contains(a)) {
        missing.add("alert " + a + " (no alert_rule_test with alertname: " + a + ")");
      }
    }
    for (String rec : records) {
      if (!Pattern.compile("(?m)^\\s*- expr:.*" + Pattern.quote(rec)).matcher(tests).find()) {
        missing.add("recording rule " + rec + " (no promql_expr_test queries it)");
      }
    }
    assertTrue(missing.isEmpty(), "rules without a test in deploy/prometheus/tests: " + missing);
  }

  /** Every alert's runbook_url points at this repository's README section named after it, and that exists. */
  @Test
  void everyAlertLinksToItsRunbookSection() throws Exception {
    String rules = Files.readString(rulesFile());
    String readme = Files.readString(deployDir().resolve("README.md"));
    Set<String> anchors = new TreeSet<>();
    Matcher h = Pattern.compile("(?m)^#{2,3} +`?([A-Za-z]+)`? *$").matcher(readme);
    while (h.find()) {
      anchors.add(h.group(1).toLowerCase(Locale.ROOT));
    }
    Set<String> urls = matches(RUNBOOK, rules);
    for (String alert : matches(ALERT, rules)) {
      String anchor = alert.toLowerCase(Locale.ROOT);
      String url = "https://github.com/cgwatch/cgwatch/blob/main/deploy/prometheus/README.md#" + anchor;
      assertTrue(urls.contains(url), "no runbook_url " + url + " in " + rulesFile() + " (found " + urls + ")");
      assertTrue(anchors.contains(anchor), "deploy/prometheus/README.md has no section '## " + alert + "' (has "
          + anchors + ")");
    }
    long alertRules = ALERT.matcher(rules).results().count();
    assertEquals(alertRules, RUNBOOK.matcher(rules).results().count(), "every alerting rule has one runbook_url");
  }

  private static Set<String> matches(Pattern p, CharSequence text) {
    return p.matcher(text).results().map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
  }

  private static E2e.Run promtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(E2e.requireOnPath("promtool").toString());
    cmd.addAll(List.of(args));
    return E2e.run(cmd, repoRoot(), null, PROMTOOL_TIMEOUT);
  }
}
