package io.cgwatch.agent.serve;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * How {@code serve} speaks HTTPS: the PEM pair plus exporter-toolkit's version range and cipher suites.
 *
 * @param protocols JDK protocol names, lowest first; exporter-toolkit's default is TLS 1.2 and 1.3
 * @param cipherSuites IANA names (Go and the JDK spell them alike); empty for the JDK's defaults
 */
public record TlsSettings(Path certFile, Path keyFile, List<String> protocols, List<String> cipherSuites,
    boolean preferServerCipherSuites) {

  private static final List<String> ALL = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  public TlsSettings {
    protocols = List.copyOf(protocols);
    cipherSuites = List.copyOf(cipherSuites);
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("tls_server_config: min_version is above max_version");
    }
  }

  /** The PEM pair with exporter-toolkit's defaults (the old {@code tls:} key of {@code --config}). */
  public static TlsSettings of(Path certFile, Path keyFile) {
    return new TlsSettings(certFile, keyFile, ALL.subList(2, 4), List.of(), true);
  }

  public static TlsSettings of(WebConfig.TlsServer t) {
    String min = WebConfig.TlsVersion.javaName("min_version", t.minVersion()).orElse("TLSv1.2");
    String max = WebConfig.TlsVersion.javaName("max_version", t.maxVersion()).orElse("TLSv1.3");
    List<String> range = ALL.indexOf(min) > ALL.indexOf(max) ? List.of()
        : ALL.subList(ALL.indexOf(min), ALL.indexOf(max) + 1);
    return new TlsSettings(Path.of(t.certFile()), Path.of(t.keyFile()), range,
        t.cipherSuites() == null ? List.of() : t.cipherSuites(),
        t.preferServerCipherSuites() == null || t.preferServerCipherSuites());
  }

  /** Loads the key pair now, so a bad file stops {@code serve} at start and not at the first scrape. */
  HttpsConfigurator configurator() throws IOException {
    SSLContext ctx = TlsContexts.fromPem(certFile, keyFile);
    SSLParameters defaults = ctx.getSupportedSSLParameters();
    for (String suite : cipherSuites) {
      if (!List.of(defaults.getCipherSuites()).contains(suite)) {
        throw new IllegalArgumentException("tls_server_config.cipher_suites: " + suite + " is not a cipher suite "
            + "this Java runtime supports");
      }
    }
    return new HttpsConfigurator(ctx) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setProtocols(protocols.toArray(new String[0]));
        if (!cipherSuites.isEmpty()) {
          p.setCipherSuites(cipherSuites.toArray(new String[0]));
        }
        p.setUseCipherSuitesOrder(preferServerCipherSuites);
        params.setSSLParameters(p);
      }
    };
  }

  static Optional<HttpsConfigurator> configurator(Optional<TlsSettings> tls) throws IOException {
    return tls.isPresent() ? Optional.of(tls.get().configurator()) : Optional.empty();
  }
}
