package io.cgwatch.agent.serve;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP endpoints. Every answer comes from the latest {@link Published}: a scrape copies bytes rendered at
 * scan time and never touches cgroupfs. Only GET and HEAD; anything not listed is 404.
 */
public final class ScrapeServer implements AutoCloseable {
  private static final String HTML = "text/html; charset=utf-8";
  private static final String PLAIN = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";
  /** Seconds a client may take to send its request line and headers (JDK default: forever). */
  static final String MAX_REQUEST_SECONDS = "5";
  /** Seconds a client may take to read a response (JDK default: forever). */
  static final String MAX_RESPONSE_SECONDS = "10";

  static {
    // The JDK server reads a request's headers on a worker thread and by default waits forever, so four clients
    // that never finish their headers (slowloris) stopped every scrape (measured: /healthz unanswered after 40 s).
    // These bound that wait; the JDK reads them once, when its first server is created, and a value the operator
    // passes with -D wins. Idle keep-alive connections are closed after sun.net.httpserver.idleInterval (30 s).
    setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<Published> latest;
  private final Poller poller;
  private final Clock clock;
  private final String version;

  public ScrapeServer(InetSocketAddress address, Poller poller, Clock clock, String version,
      Optional<HttpsConfigurator> tls, Optional<Authenticator> auth) throws IOException {
    this.poller = poller;
    this.latest = poller::latest;
    this.clock = clock;
    this.version = version;
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(tls.get());
      this.server = https;
    } else {
      this.server = HttpServer.create(address, 64);
    }
    HttpContext context = server.createContext("/", this::handle);
    auth.ifPresent(context::setAuthenticator);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "cgwatch-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
  }

  public void start() {
    server.start();
  }

  /** The bound address (the real port when listening on port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, PLAIN, "method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      Published p = latest.get();
      switch (ex.getRequestURI().getPath()) {
        case "/metrics" -> metrics(ex, p);
        case "/healthz", "/-/healthy" -> {
          Optional<String> problem = poller.healthProblem(clock.instant());
          send(ex, problem.isEmpty() ? 200 : 503, PLAIN, (problem.isEmpty() ? "ok\n" : "unhealthy: "
              + problem.get() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        case "/readyz", "/-/ready" -> { // /-/ready: Prometheus' own spelling
          boolean ready = p.isFresh(clock.instant(), poller.maxAge());
          send(ex, ready ? 200 : 503, PLAIN, (ready ? "ready\n" : "not ready: no recent successful scan\n")
              .getBytes(StandardCharsets.UTF_8));
        }
        case "/api/v1/snapshot" -> {
          if (p.snapshotJson().isPresent()) {
            send(ex, 200, JSON, p.snapshotJson().get().get());
          } else {
            send(ex, 503, PLAIN, "no scan has completed yet\n".getBytes(StandardCharsets.UTF_8));
          }
        }
        case "/" -> send(ex, 200, HTML, index().getBytes(StandardCharsets.UTF_8));
        default -> send(ex, 404, PLAIN, "not found\n".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private void metrics(HttpExchange ex, Published p) throws IOException {
    String contentType = ContentNegotiation.contentType(ex.getRequestHeaders().getFirst("Accept"));
    boolean gzip = ContentNegotiation.gzip(ex.getRequestHeaders().getFirst("Accept-Encoding"));
    if (gzip) {
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    ex.getResponseHeaders().set("Vary", "Accept, Accept-Encoding");
    send(ex, 200, contentType, p.exposition(clock.instant(), poller.maxAge()).body(contentType, gzip));
  }

  private String index() {
    return "<!doctype html>\n<html><head><title>cgwatch</title></head><body>\n<h1>cgwatch " + escape(version)
        + "</h1>\n<p>Dying cgroups and what they leave behind.</p>\n<ul>\n"
        + "<li><a href=\"/metrics\">/metrics</a> Prometheus exposition</li>\n"
        + "<li><a href=\"/api/v1/snapshot\">/api/v1/snapshot</a> the latest report as JSON</li>\n"
        + "<li><a href=\"/healthz\">/healthz</a> scans are returning</li>\n"
        + "<li><a href=\"/readyz\">/readyz</a> a recent scan succeeded</li>\n"
        + "<li><a href=\"/-/healthy\">/-/healthy</a> and <a href=\"/-/ready\">/-/ready</a> the same, as "
        + "Prometheus spells them</li>\n</ul>\n</body></html>\n";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops accepting, lets requests in flight finish (up to 2 s). */
  @Override
  public void close() {
    server.stop(2);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
