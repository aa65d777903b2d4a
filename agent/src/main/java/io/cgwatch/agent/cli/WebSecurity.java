package io.cgwatch.agent.cli;

import io.cgwatch.agent.serve.TlsSettings;
import io.cgwatch.agent.serve.WebConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * TLS and basic auth for {@code serve}: from {@code --web.config.file} (exporter-toolkit's format, the one every
 * Prometheus exporter takes) or from the older {@code tls} and {@code basic_auth_users} keys of {@code --config},
 * never both: two places for one setting would leave the reader guessing which wins.
 */
record WebSecurity(Optional<TlsSettings> tls, Map<String, String> users) {

  static WebSecurity resolve(Path webConfigFile, ServeConfig c) {
    boolean inConfig = c.tls() != null || c.basicAuthUsers() != null;
    if (webConfigFile == null) {
      ServeConfig.Tls t = c.tls();
      if (t != null && (t.certFile() == null || t.keyFile() == null)) {
        throw new IllegalArgumentException("--config: tls needs both cert_file and key_file");
      }
      return new WebSecurity(Optional.ofNullable(t).map(x -> TlsSettings.of(Path.of(x.certFile()),
          Path.of(x.keyFile()))), c.basicAuthUsers() == null ? Map.of() : c.basicAuthUsers());
    }
    if (inConfig) {
      throw new IllegalArgumentException("--web.config.file and the tls/basic_auth_users keys of --config both set "
          + "TLS or users; keep them in the web config file only");
    }
    WebConfig w;
    try {
      w = WebConfig.load(webConfigFile);
    } catch (IOException e) {
      throw new IllegalArgumentException("--web.config.file " + ConfigErrors.describe(webConfigFile, e));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--web.config.file " + webConfigFile + ": " + e.getMessage());
    }
    return new WebSecurity(w.tls().map(TlsSettings::of), w.users());
  }
}
