package io.cgwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code mvn -B verify -DexcludedGroups=live} must leave out every test that changes the live kernel: a test class
 * that makes cgroups (a {@code cgwatch-test-} parent, {@link TestCgroup}, {@link LiveHierarchy}) or writes
 * {@code memory.reclaim} there carries {@code @Tag("live")}.
 */
class LiveTagTest {
  @Test
  void everyTestThatChangesTheLiveKernelIsTaggedLive() throws IOException {
    Path tests = Fixtures.dir().resolve("../src-test/src/test/java").normalize();
    List<String> untagged;
    try (Stream<Path> files = Files.walk(tests)) {
      untagged = files.filter(p -> p.toString().endsWith("Test.java")).filter(p -> {
        String s = read(p);
        boolean changesKernel = s.contains("\"cgwatch-test-") || s.contains("TestCgroup.")
            || s.contains("LiveHierarchy.");
        return changesKernel && !s.contains("@Tag(\"live\")") && !p.endsWith("LiveTagTest.java");
      }).map(p -> tests.relativize(p).toString()).sorted().toList();
    }
    assertEquals(List.of(), untagged, "live-kernel tests without @Tag(\"live\")");
    assertTrue(read(tests.resolve("io/cgwatch/agent/reclaim/ReclaimLiveKernelTest.java")).contains("@Tag(\"live\")"));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
