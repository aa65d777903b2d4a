package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.support.Fixtures;
import io.cgwatch.support.Golden;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code cgwatch diagnose} end to end, through picocli, on every fixture host, against
 * {@code fixtures/golden/diagnose-<host>.txt|.json}. A new fixture host needs its golden files
 * ({@code -Dgolden.update=true}, then review them).
 */
class DiagnoseGoldenTest {
  static List<String> hosts() {
    return Fixtures.hostNames();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void textReport(String host) {
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", Fixtures.host(host).toString());
    assertEquals(0, r.exitCode(), r.err());
    Golden.assertMatches("diagnose-" + host + ".txt", r.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void jsonReport(String host) {
    CliRunner.Result r = CliRunner.run("diagnose", "--json", "--host-root", Fixtures.host(host).toString());
    assertEquals(0, r.exitCode(), r.err());
    Golden.assertMatches("diagnose-" + host + ".json", withoutInodes(r.out()));
  }

  /** Inodes are real (asserted elsewhere) but differ between checkouts, so golden files hold 0. */
  static String withoutInodes(String json) {
    return json.replaceAll("\"inode\": \\d+", "\"inode\": 0");
  }
}
