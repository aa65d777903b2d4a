package io.cgwatch.agent.serve;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --web.config.file}: the web configuration file of Prometheus' exporter-toolkit, as node_exporter and
 * Prometheus itself take it, so one file can serve every exporter on a host. Keys cgwatch cannot honour are
 * rejected with their name, never ignored: a setting that silently does nothing is a security hole.
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt       # relative paths are relative to this file, as in exporter-toolkit
 *   key_file: server.key
 *   min_version: TLS12
 * basic_auth_users:
 *   prometheus: $2y$10$...      # bcrypt
 * </pre>
 */
public record WebConfig(@JsonProperty("tls_server_config") TlsServer tlsServerConfig,
    @JsonProperty("http_server_config") HttpServer httpServerConfig,
    @JsonProperty("basic_auth_users") Map<String, String> basicAuthUsers) {

  public static final WebConfig NONE = new WebConfig(null, null, null);

  /** exporter-toolkit's {@code tls_server_config}. */
  public record TlsServer(@JsonProperty("cert_file") String certFile, @JsonProperty("key_file") String keyFile,
      @JsonProperty("client_auth_type") String clientAuthType, @JsonProperty("client_ca_file") String clientCaFile,
      @JsonProperty("min_version") String minVersion, @JsonProperty("max_version") String maxVersion,
      @JsonProperty("cipher_suites") List<String> cipherSuites,
      @JsonProperty("curve_preferences") List<String> curvePreferences,
      @JsonProperty("prefer_server_cipher_suites") Boolean preferServerCipherSuites) {}

  /** exporter-toolkit's {@code http_server_config}: only {@code http2}, which changes nothing here (HTTP/1.1). */
  public record HttpServer(Boolean http2, Map<String, String> headers) {}

  private static final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  }

  /** Parses and checks the file; paths in it are resolved against its directory. */
  public static WebConfig load(Path file) throws IOException {
    WebConfig c = Yaml.MAPPER.readValue(file.toFile(), WebConfig.class);
    c = c == null ? NONE : c;
    c.check();
    Path dir = file.toAbsolutePath().getParent();
    TlsServer t = c.tlsServerConfig;
    return t == null ? c : new WebConfig(new TlsServer(resolve(dir, t.certFile()), resolve(dir, t.keyFile()),
        t.clientAuthType(), resolve(dir, t.clientCaFile()), t.minVersion(), t.maxVersion(), t.cipherSuites(),
        t.curvePreferences(), t.preferServerCipherSuites()), c.httpServerConfig, c.basicAuthUsers);
  }

  private void check() {
    if (tlsServerConfig != null) {
      TlsServer t = tlsServerConfig;
      if (t.certFile() == null || t.keyFile() == null) {
        throw new IllegalArgumentException("tls_server_config needs both cert_file and key_file");
      }
      String auth = t.clientAuthType() == null ? "NoClientCert" : t.clientAuthType();
      if (!auth.equals("NoClientCert")) {
        throw new IllegalArgumentException("tls_server_config.client_auth_type " + auth + " is not supported by "
            + "cgwatch (only NoClientCert); put a TLS proxy in front for client certificates");
      }
      if (t.curvePreferences() != null && !t.curvePreferences().isEmpty()) {
        throw new IllegalArgumentException("tls_server_config.curve_preferences is not supported by cgwatch; remove "
            + "it (the JVM's default groups are X25519, P-256, P-384, P-521)");
      }
      TlsVersion.javaName("min_version", t.minVersion());
      TlsVersion.javaName("max_version", t.maxVersion());
    }
    if (httpServerConfig != null && httpServerConfig.headers() != null && !httpServerConfig.headers().isEmpty()) {
      throw new IllegalArgumentException("http_server_config.headers is not supported by cgwatch; remove it");
    }
    if (basicAuthUsers != null) {
      basicAuthUsers.forEach((user, hash) -> {
        if (hash == null || !hash.matches("\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
          throw new IllegalArgumentException("basic_auth_users." + user + ": not a bcrypt hash (make one with: "
              + "htpasswd -nbBC 10 \"\" PASSWORD | tr -d ':\\n')");
        }
      });
    }
  }

  private static String resolve(Path dir, String file) {
    return file == null || dir == null ? file : dir.resolve(file).toString();
  }

  public Optional<TlsServer> tls() {
    return Optional.ofNullable(tlsServerConfig);
  }

  public Map<String, String> users() {
    return basicAuthUsers == null ? Map.of() : basicAuthUsers;
  }

  /** exporter-toolkit's TLS version names (Go's crypto/tls), in the JDK's spelling. */
  static final class TlsVersion {
    private TlsVersion() {}

    static Optional<String> javaName(String key, String goName) {
      if (goName == null) {
        return Optional.empty();
      }
      return Optional.of(switch (goName) {
        case "TLS10" -> "TLSv1";
        case "TLS11" -> "TLSv1.1";
        case "TLS12" -> "TLSv1.2";
        case "TLS13" -> "TLSv1.3";
        default -> throw new IllegalArgumentException("tls_server_config." + key + " " + goName
            + ": expected TLS10, TLS11, TLS12 or TLS13");
      });
    }
  }
}
