package io.cgwatch.agent.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Replaces cgroup directory names with {@code cg-} + the first 12 hex digits of SHA-256 of the name. No salt, on
 * purpose: the same name hashes the same in every capture of every host, so captures taken at different times
 * can still be matched cgroup by cgroup.
 */
final class Anonymizer {
  private Anonymizer() {}

  static String name(String original) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(original.getBytes(StandardCharsets.UTF_8));
      return "cg-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** A cgroup path ({@code /a/b}) with every component hashed; {@code /} stays {@code /}. */
  static String path(String cgroupPath) {
    StringBuilder sb = new StringBuilder();
    for (String part : cgroupPath.split("/")) {
      if (!part.isEmpty()) {
        sb.append('/').append(name(part));
      }
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }
}
