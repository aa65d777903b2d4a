package io.cgwatch.exporters.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import io.cgwatch.reliability.Generators;
import io.cgwatch.reliability.Property;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Include/exclude globs on cgroup paths as strings: the JDK's glob semantics, without Path's encoding limits. */
class CgroupGlobTest {
  private static final String[] GLOBS = {"/system.slice/**", "/system.slice/*", "/*.slice", "/user-?.slice/**",
    "/{a,b}/*", "/[ab]*/x", "/[!a]*", "**", "/*", "/jobs/job-*"};

  /** Paths from the globs' own alphabet, so that every glob matches some of them. */
  static String path(SplittableRandom r) {
    return Path.of("/" + Generators.charsFrom(r, "/ab.-xjobsytemlice?*{}1", 1, 24)).normalize().toString();
  }

  @Test
  void matchesLikeTheJdkPathMatcherOnPathsItCanEncode() {
    Property.check("CgroupGlob matches like the JDK's PathMatcher", 2000,
        Generators.withEdgeCases(List.of("/", "/a", "/system.slice", "/system.slice/a", "/user-1.slice/x/y",
            "/jobs/job-", "/b/x", "/*", "/{a,b}"), CgroupGlobTest::path),
        path -> {
          for (String glob : GLOBS) {
            boolean jdk = FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(path));
            assertEquals(jdk, CgroupGlob.of(glob).matches(path), glob + " on " + path);
          }
        });
  }

  @Test
  void matchesNamesTheJvmCannotEncode() {
    // Under a POSIX locale Path.of threw InvalidPathException for these, and every scrape failed.
    assertTrue(CgroupGlob.of("/system.slice/**").matches("/system.slice/caf\u00e9\ufffd\ufffd.scope"));
    assertFalse(CgroupGlob.of("/system.slice/*").matches("/system.slice/a/caf\u00e9"));
    assertTrue(CgroupGlob.of("/x*").matches("/x\"} 1\nfake_metric 1"), "'*' crosses a newline, never a '/'");
    assertTrue(new ExportOptions(3, List.of("/**"), List.of(), 10).selects("/bad\ufffd"));
  }

  @Test
  void badGlobsAreRefusedAtStartUp() {
    assertThrows(IllegalArgumentException.class, () -> new ExportOptions(3, List.of("/[ab"), List.of(), 10));
    assertThrows(IllegalArgumentException.class, () -> new ExportOptions(3, List.of("/{a,b"), List.of(), 10));
  }
}
