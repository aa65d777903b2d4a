package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} under hostile HTTP, as a separate process on loopback: 200 concurrent scrapes with wrk, clients
 * that never finish their request (slowloris), oversized headers, unknown paths and methods, garbage; TLS and
 * basic auth with curl. The HTTP pool stays at its fixed size, scans keep running, status codes are right.
 */
class HttpLoadTest {
  static final String HOST = "unified-6.1-dying";
  static final Duration WRK_TIME = Duration.ofSeconds(8);

  static List<String> serve(String interval, String... more) {
    List<String> cmd = ServeProcess.java("-Xmx256m");
    cmd.addAll(List.of("serve", "--listen", "127.0.0.1:0", "--interval", interval, "--host-root",
        Fixtures.host(HOST).toString()));
    cmd.addAll(List.of(more));
    return cmd;
  }

  static long scans(int port) throws Exception {
    return (long) Reliability.parseExposition(Reliability.get(port, "/metrics").body()).stream()
        .filter(s -> s.name().equals("cgwatch_scans_total") && "success".equals(s.labels().get("result")))
        .mapToDouble(s -> Double.parseDouble(s.value())).findFirst().orElseThrow();
  }

  /** Sends raw bytes, returns the status line, "" when the server closed without one, or "reset". */
  static String raw(int port, byte[] request, Duration timeout) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout((int) timeout.toMillis());
      try {
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
        byte[] buf = new byte[256];
        int n = s.getInputStream().read(buf);
        String head = n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int eol = head.indexOf("\r\n");
        return eol < 0 ? head : head.substring(0, eol);
      } catch (SocketException e) {
        return "reset";
      }
    }
  }

  @Test
  void twoHundredConcurrentScrapesSlowClientsAndJunkLeaveThreadsBoundedAndScansRunning() throws Exception {
    Path wrk = Reliability.require("wrk", "wrk");
    try (ServeProcess serve = ServeProcess.start(serve("100ms"), null)) {
      Reliability.get(serve.port, "/healthz");
      int threadsIdle = serve.threads();
      long scansBefore = scans(serve.port);

      Reliability.Run load = Reliability.run(List.of(wrk.toString(), "-t2", "-c200",
          "-d" + WRK_TIME.toSeconds() + "s", "--timeout", "10s", "http://127.0.0.1:" + serve.port + "/metrics"),
          null, null, WRK_TIME.plusSeconds(60));
      int threadsUnderLoad = serve.threads();
      int httpThreads = serve.threadsNamed("cgwatch-http");
      assertEquals(0, load.exit(), load.out() + load.err());
      Matcher served = Pattern.compile("(\\d+) requests in").matcher(load.out());
      assertTrue(served.find(), load.out());
      long requests = Long.parseLong(served.group(1));
      assertTrue(requests >= 200, "at least one scrape per connection: " + load.out());
      assertTrue(!load.out().contains("Non-2xx"), "every scrape answered 200: " + load.out());
      long scansAfter = scans(serve.port);
      System.out.println("HTTP wrk 200 connections, " + WRK_TIME.toSeconds() + " s: " + requests
          + " scrapes; threads idle " + threadsIdle + ", under load " + threadsUnderLoad + " (" + httpThreads
          + " cgwatch-http); scans "
          + scansBefore + " -> " + scansAfter + "\n" + load.out());
      assertTrue(scansAfter > scansBefore, "the scan loop kept running under load: " + scansBefore + " -> "
          + scansAfter);
      assertTrue(httpThreads <= 4, "the HTTP pool is fixed at 4 threads: " + httpThreads);
      // The rest is the JVM's own (JIT compilers, GC) and the JDK server's dispatcher and timer.
      assertTrue(threadsUnderLoad <= threadsIdle + 10, "threads idle " + threadsIdle + ", under 200 connections "
          + threadsUnderLoad);

      // Slowloris: 50 clients that send half a request and wait. A scrape behind them still gets an answer:
      // the server drops a request whose headers take longer than 5 s.
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) {
          Socket s = new Socket(InetAddress.getLoopbackAddress(), serve.port);
          s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
          slow.add(s);
        }
        long t0 = System.nanoTime();
        assertEquals(200, Reliability.get(serve.port, "/healthz").statusCode(), "a scrape behind 50 slow clients");
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        long scansDuring = scans(serve.port);
        int closed = 0;
        for (Socket s : slow) {
          s.setSoTimeout(15_000);
          try (InputStream in = s.getInputStream()) {
            if (in.read() < 0) {
              closed++;
            }
          } catch (SocketTimeoutException e) {
            // still open after 15 s more: counted as not closed
          } catch (SocketException e) {
            closed++; // reset: closed too
          }
        }
        System.out.println("HTTP slowloris: 50 half-sent requests; /healthz answered after " + waitedMs
            + " ms; the server closed " + closed + " of them; threads " + serve.threads());
        assertEquals(50, closed, "the server closes requests that never finish");
        assertTrue(scansDuring > scansAfter, "scans ran while slow clients held connections");
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }

      // Oversized headers: 1 MiB in one header, and 1,000 headers. The JDK server refuses them without answering
      // (no 431); the process is unaffected.
      String big = raw(serve.port, ("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20)
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(20));
      StringBuilder many = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: x\r\n");
      for (int i = 0; i < 1000; i++) {
        many.append("X-H").append(i).append(": v\r\n");
      }
      String manyHeaders = raw(serve.port, many.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII),
          Duration.ofSeconds(20));
      System.out.println("HTTP 1 MiB header -> '" + big + "'; 1,000 headers -> '" + manyHeaders + "'");
      assertTrue(big.isEmpty() || big.equals("reset") || big.matches("HTTP/1.1 4(00|13|31) .*"), big);
      assertTrue(manyHeaders.isEmpty() || manyHeaders.equals("reset") || manyHeaders.matches("HTTP/1.1 4\\d\\d .*"),
          manyHeaders);

      assertEquals("HTTP/1.1 404 Not Found", raw(serve.port, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10)));
      assertEquals("HTTP/1.1 405 Method Not Allowed", raw(serve.port, ("POST /metrics HTTP/1.1\r\nHost: x\r\n"
          + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10)));
      assertEquals("HTTP/1.1 405 Method Not Allowed", raw(serve.port, "BREW / HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10)));
      assertEquals("HTTP/1.1 400 Bad Request", raw(serve.port, "garbage\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
          Duration.ofSeconds(10)));
      assertEquals(200, Reliability.get(serve.port, "/metrics").statusCode(), "still serving after all of it");
      assertTrue(serve.process.isAlive());
      assertTrue(serve.threadsNamed("cgwatch-http") <= 4, "HTTP pool still 4 at most");
      assertTrue(serve.threads() <= threadsIdle + 10, "threads bounded after it all: " + serve.threads());
    }
  }

  @Test
  void tlsAndBasicAuthWithCurl(@TempDir Path tmp) throws Exception {
    Path curl = Reliability.require("curl", "curl");
    Path openssl = Reliability.require("openssl", "openssl");
    Path cert = tmp.resolve("cert.pem");
    Path key = tmp.resolve("key.pem");
    Reliability.Run gen = Reliability.run(List.of(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048",
        "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1"), null, null, Duration.ofSeconds(60));
    assertEquals(0, gen.exit(), gen.err());
    String hash = BCrypt.withDefaults().hashToString(10, "s3cret".toCharArray());
    Path config = tmp.resolve("cgwatch.yml");
    Files.writeString(config, "tls: {cert_file: " + cert + ", key_file: " + key + "}\n"
        + "basic_auth_users:\n  prometheus: \"" + hash + "\"\n");
    try (ServeProcess serve = ServeProcess.start(serve("2s", "--config", config.toString()), null)) {
      String url = "https://127.0.0.1:" + serve.port + "/metrics";
      Reliability.Run ok = Reliability.run(List.of(curl.toString(), "-sS", "--cacert", cert.toString(),
          "-u", "prometheus:s3cret", "-o", "/dev/null", "-w", "%{http_code}", url), null, null, Duration.ofSeconds(30));
      assertEquals("200", ok.out(), ok.err());
      Reliability.Run wrong = Reliability.run(List.of(curl.toString(), "-sS", "--cacert", cert.toString(),
          "-u", "prometheus:wrong", "-o", "/dev/null", "-w", "%{http_code}", url), null, null, Duration.ofSeconds(30));
      assertEquals("401", wrong.out(), wrong.err());
      Reliability.Run none = Reliability.run(List.of(curl.toString(), "-sS", "--cacert", cert.toString(),
          "-o", "/dev/null", "-w", "%{http_code}", url), null, null, Duration.ofSeconds(30));
      assertEquals("401", none.out(), none.err());
      Reliability.Run plain = Reliability.run(List.of(curl.toString(), "-sS", "-u", "prometheus:s3cret",
          "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + serve.port + "/metrics"), null, null,
          Duration.ofSeconds(30));
      assertTrue(!plain.out().equals("200"), "plain HTTP to the TLS port is no scrape: " + plain.out());
      Reliability.Run untrusted = Reliability.run(List.of(curl.toString(), "-sS", "-u", "prometheus:s3cret",
          "-o", "/dev/null", url), null, null, Duration.ofSeconds(30));
      assertTrue(untrusted.exit() != 0, "curl refuses a certificate it does not trust");
      String body = Reliability.run(List.of(curl.toString(), "-sS", "--cacert", cert.toString(), "-u",
          "prometheus:s3cret", url), null, null, Duration.ofSeconds(30)).out();
      assertTrue(body.contains("cgwatch_up 1.0"), body);
    }
  }

}
