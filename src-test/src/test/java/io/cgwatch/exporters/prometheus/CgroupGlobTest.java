package io.cgwatch.exporters.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Include/exclude globs on cgroup paths as strings: the JDK's glob semantics, without Path's encoding limits. */
class CgroupGlobTest {
  private static final String[] GLOBS = {"/system.slice/**", "/system.slice/*", "/*.slice", "/user-?.slice/**",
    "/{a,b}/*", "/[ab]*/x", "/[!a]*", "**", "/*", "/jobs/job-*"};

  @Provide Arbitrary<String> paths() {
    return Arbitraries.strings().withChars("/ab.-xjobsytemlice?*{}1").ofMinLength(1).ofMaxLength(24)
        .map(s -> Path.of("/" + s).normalize().toString());
  }

  @Property(tries = 2000)
  void matchesLikeTheJdkPathMatcherOnPathsItCanEncode(@ForAll("paths") String path) {
    for (String glob : GLOBS) {
      boolean jdk = FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(path));
      assertEquals(jdk, CgroupGlob.of(glob).matches(path), glob + " on " + path);
    }
  }

  @Example
  void matchesNamesTheJvmCannotEncode() {
    // Under a POSIX locale Path.of threw InvalidPathException for these, and every scrape failed.
    assertTrue(CgroupGlob.of("/system.slice/**").matches("/system.slice/caf\u00e9\ufffd\ufffd.scope"));
    assertFalse(CgroupGlob.of("/system.slice/*").matches("/system.slice/a/caf\u00e9"));
    assertTrue(CgroupGlob.of("/x*").matches("/x\"} 1\nfake_metric 1"), "'*' crosses a newline, never a '/'");
    assertTrue(new ExportOptions(3, List.of("/**"), List.of(), 10).selects("/bad\ufffd"));
  }

  @Example
  void badGlobsAreRefusedAtStartUp() {
    assertThrows(IllegalArgumentException.class, () -> new ExportOptions(3, List.of("/[ab"), List.of(), 10));
    assertThrows(IllegalArgumentException.class, () -> new ExportOptions(3, List.of("/{a,b"), List.of(), 10));
  }
}
