package io.cgwatch.exporters.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exposition's writer gives exactly the bytes the JDK's UTF-8 encoder gives, for any cgroup name. */
class Utf8ByteWriterTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "/system.slice/cron.service", "caf\u00e9.scope", "\u65e5\u672c.slice",
      "emoji-\ud83d\ude00-scope", "lone-high-\ud83d", "lone-low-\ude00-x", "\ud83d\ud83d\ude00",
      "quote\"back\\slash\nnewline"})
  void encodesLikeTheJdk(String name) {
    assertEncodesLikeTheJdk(name);
  }

  @Test
  void encodesRandomCharsLikeTheJdk() {
    Random random = new Random(8);
    for (int i = 0; i < 2000; i++) {
      char[] chars = new char[random.nextInt(40)];
      for (int j = 0; j < chars.length; j++) {
        // Mostly the surrogate and multi-byte ranges, where encoders go wrong.
        chars[j] = (char) (random.nextBoolean() ? 0xD700 + random.nextInt(0x900) : random.nextInt(0x10000));
      }
      assertEncodesLikeTheJdk(new String(chars));
    }
  }

  @Test
  void growsPastItsInitialCapacity() {
    String big = "x\u00e9\ud83d\ude00".repeat(10_000);
    assertEncodesLikeTheJdk(big);
  }

  private static void assertEncodesLikeTheJdk(String s) {
    Utf8ByteWriter w = new Utf8ByteWriter(16);
    for (int i = 0; i < s.length(); i++) {
      w.write(s.charAt(i)); // TextFormat writes label values char by char
    }
    assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), w.toByteArray(), () -> "for " + s.codePoints().boxed()
        .map(Integer::toHexString).toList());
    Utf8ByteWriter bulk = new Utf8ByteWriter(16);
    bulk.write(s, 0, s.length());
    assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), bulk.toByteArray());
  }
}
