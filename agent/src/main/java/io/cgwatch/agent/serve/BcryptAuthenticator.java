package io.cgwatch.agent.serve;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP basic auth against bcrypt hashes ({@code basic_auth_users: {alice: $2y$10$...}}, as in Prometheus' web
 * config). A verified password is remembered by its SHA-256 so a scrape every 15 s does not pay bcrypt each time.
 */
public final class BcryptAuthenticator extends BasicAuthenticator {
  private final Map<String, String> hashes;
  private final Map<String, String> verified = new ConcurrentHashMap<>();

  public BcryptAuthenticator(Map<String, String> bcryptHashes) {
    super("cgwatch", StandardCharsets.UTF_8);
    this.hashes = Map.copyOf(bcryptHashes);
  }

  @Override
  public boolean checkCredentials(String user, String password) {
    String hash = hashes.get(user);
    if (hash == null || password == null) {
      return false;
    }
    String digest = sha256(password);
    if (digest.equals(verified.get(user))) {
      return true;
    }
    boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
        hash.getBytes(StandardCharsets.UTF_8)).verified;
    if (ok) {
      verified.put(user, digest);
    }
    return ok;
  }

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
