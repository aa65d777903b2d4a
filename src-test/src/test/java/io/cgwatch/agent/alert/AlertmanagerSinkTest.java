package io.cgwatch.agent.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.model.AlertStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AlertmanagerSink} against a tiny HTTP server on loopback standing in for Alertmanager: the JSON it posts,
 * that {@code deliver} never waits for the network, retries, failures and counters. Waits are bounded; nothing is
 * asserted about how fast anything is.
 */
class AlertmanagerSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final Instant SINCE = Instant.parse("2024-05-01T11:45:30.250Z");
  /** A cgroup name is untrusted: quotes, backslashes, control characters, JSON and non-ASCII. */
  private static final String EVIL = "/jobs/a\"b\\c\n\t\u0001{\"x\":1}],é☃";

  private final List<HttpServer> servers = new ArrayList<>();
  private final List<AlertmanagerSink> sinks = new ArrayList<>();
  private final List<CountDownLatch> releaseOnExit = new ArrayList<>();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final JsonLog log = new JsonLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8), Clock.systemUTC());

  @AfterEach
  void tearDown() {
    releaseOnExit.forEach(CountDownLatch::countDown);
    sinks.forEach(AlertmanagerSink::close);
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void postsFiringAndResolvedAlertsInAlertmanagersShape() throws Exception {
    Recorder am = recorder(n -> 200);
    AlertmanagerSink sink = sink(List.of(URI.create(am.base + "/prefix/")), Clock.fixed(NOW, ZoneOffset.UTC));

    AlertStatus firing = status("DyingCgroupsHigh", "firing", "unified", "/");
    AlertStatus pending = status("OrphanedPageCacheHigh", "pending", "unified", "/");
    AlertStatus resolved = status("VisibleCgroupLeak", "resolved", "unified", EVIL);
    AlertStatus inactive = status("MemcgIdHeadroomLow", "inactive", "memory", "/");
    sink.deliver(List.of(firing, pending), List.of(firing, resolved, inactive));

    Request r = am.await(1);
    assertEquals("POST", r.method);
    assertEquals("/prefix/api/v2/alerts", r.path);
    assertEquals("application/json", r.contentType);
    JsonNode body = JSON.readTree(r.body);
    assertTrue(body.isArray(), r.body);
    assertEquals(2, body.size(), "only firing and resolved alerts are sent: " + r.body);

    JsonNode f = body.get(0);
    assertEquals(Map.of("alertname", "DyingCgroupsHigh", "severity", "warning", "instance", "test-host",
        "hierarchy", "unified", "cgroup", "/"), JSON.convertValue(f.get("labels"), Map.class));
    assertEquals(Map.of("summary", "DyingCgroupsHigh summary", "description", "DyingCgroupsHigh description"),
        JSON.convertValue(f.get("annotations"), Map.class));
    assertEquals("2024-05-01T11:45:30.250Z", f.get("startsAt").asText());
    assertEquals("2024-05-01T12:00:04Z", f.get("endsAt").asText(), "firing: now + 4 × the 1 s interval");
    assertFalse(f.has("generatorURL"), r.body);
    assertEquals(List.of("labels", "annotations", "startsAt", "endsAt"), fieldNames(f));

    JsonNode res = body.get(1);
    assertEquals("VisibleCgroupLeak", res.get("labels").get("alertname").asText());
    assertEquals(EVIL, res.get("labels").get("cgroup").asText(), "the cgroup name survives JSON encoding");
    assertEquals("2024-05-01T12:00:00Z", res.get("endsAt").asText(), "resolved: endsAt = now");
    assertEquals("2024-05-01T11:45:30.250Z", res.get("startsAt").asText());

    awaitTrue(() -> sink.deliveries().get("success") == 1, sink::deliveries);
    assertEquals(Map.of("success", 1L, "failure", 0L, "dropped", 0L), sink.deliveries());
  }

  @Test
  void firingAlertsAreSentAgainEveryTimeAndResolvedOnesOnceWithEndsAtNow() throws Exception {
    Recorder am = recorder(n -> 200);
    AlertmanagerSink sink = sink(List.of(URI.create(am.base)), Clock.systemUTC());
    AlertStatus firing = status("DyingCgroupsHigh", "firing", "unified", "/");

    sink.deliver(List.of(firing), List.of(firing));
    am.await(1);
    sink.deliver(List.of(firing), List.of());
    am.await(2);
    Instant before = Instant.now();
    AlertStatus resolved = status("DyingCgroupsHigh", "resolved", "unified", "/");
    sink.deliver(List.of(), List.of(resolved));
    Instant after = Instant.now();
    JsonNode third = JSON.readTree(am.await(3).body);
    sink.deliver(List.of(), List.of()); // nothing firing, nothing changed: nothing to post

    for (int i = 0; i < 2; i++) {
      JsonNode b = JSON.readTree(am.requests.get(i).body);
      assertEquals(1, b.size());
      Instant ends = Instant.parse(b.get(0).get("endsAt").asText());
      assertTrue(ends.isAfter(Instant.parse(b.get(0).get("startsAt").asText())), b.toString());
    }
    assertEquals(1, third.size(), third.toString());
    Instant ends = Instant.parse(third.get(0).get("endsAt").asText());
    // endsAt is truncated to milliseconds
    assertFalse(ends.isBefore(before.minusMillis(1)) || ends.isAfter(after), "resolved endsAt " + ends
        + " is not the time of deliver() (" + before + " .. " + after + ")");
    sink.deliver(List.of(status("DyingCgroupsGrowing", "firing", "unified", "/")), List.of());
    JsonNode fourth = JSON.readTree(am.await(4).body);
    assertEquals("DyingCgroupsGrowing", fourth.get(0).get("labels").get("alertname").asText(),
        "an empty evaluation posts nothing: " + am.requests);
  }

  @Test
  void deliverReturnsWhileAlertmanagerIsStillBlockedAndTheQueueDropsTheOldest() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    releaseOnExit.add(release);
    AtomicBoolean handlerReturned = new AtomicBoolean();
    AtomicInteger calls = new AtomicInteger();
    Recorder am = recorder(n -> {
      if (calls.incrementAndGet() == 1) {
        entered.countDown();
        try {
          // Bounded: a sink that blocked its caller would be let go after this, and fail the test below.
          release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        handlerReturned.set(true);
      }
      return 200;
    });
    AlertmanagerSink sink = sink(List.of(URI.create(am.base)), Clock.systemUTC());

    sink.deliver(List.of(status("DyingCgroupsHigh", "firing", "unified", "/job-0")), List.of());
    assertTrue(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the first POST never arrived");
    int more = AlertmanagerSink.QUEUE_BATCHES + 36;
    for (int i = 1; i <= more; i++) {
      sink.deliver(List.of(status("DyingCgroupsHigh", "firing", "unified", "/job-" + i)), List.of());
    }
    assertFalse(handlerReturned.get(), "deliver() returned only after Alertmanager answered");
    assertEquals(1, release.getCount());
    assertEquals(36L, sink.deliveries().get("dropped"), "a full queue pushes the oldest out: " + sink.deliveries());

    release.countDown();
    awaitTrue(() -> sink.deliveries().get("success") == 2, sink::deliveries);
    // The sender skips the stale queued batches: only the newest one is posted.
    assertEquals(Map.of("success", 2L, "failure", 0L, "dropped", (long) more - 1), sink.deliveries());
    JsonNode second = JSON.readTree(am.requests.get(1).body);
    assertEquals("/job-" + more, second.get(0).get("labels").get("cgroup").asText());
  }

  @Test
  void closeEndsASenderStuckInARequest() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    releaseOnExit.add(release);
    Recorder am = recorder(n -> {
      entered.countDown();
      try {
        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    });
    AlertmanagerSink sink = sink(List.of(URI.create(am.base)), Clock.systemUTC());
    sink.deliver(List.of(status("DyingCgroupsHigh", "firing", "unified", "/")), List.of());
    assertTrue(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the POST never arrived");
    sink.close();
    assertEquals(1, release.getCount(), "Alertmanager is still blocked");
    assertEquals(List.of(), senderThreads(), "close() left a sender thread running");
    sink.deliver(List.of(status("DyingCgroupsHigh", "firing", "unified", "/")), List.of()); // ignored, no throw
  }

  @Test
  void aServerErrorIsRetriedAndThenCountedAsSuccess() throws Exception {
    Recorder am = recorder(n -> n == 1 ? 500 : 200);
    AlertmanagerSink sink = sink(List.of(URI.create(am.base)), Clock.systemUTC());
    sink.deliver(List.of(status("DyingCgroupsHigh", "firing", "unified", "/")), List.of());
    awaitTrue(() -> sink.deliveries().get("success") == 1, sink::deliveries);
    assertEquals(Map.of("success", 1L, "failure", 0L, "dropped", 0L), sink.deliveries());
    assertEquals(2, am.requests.size());
    assertEquals(am.requests.get(0).body, am.requests.get(1).body, "the retry posts the same batch");
    assertEquals(1, logLines("alertmanager delivery failed"), logBytes.toString(StandardCharsets.UTF_8));
    assertEquals(1, logLines("alertmanager delivery recovered"), logBytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aBatchIsTriedThreeTimesAndLoggedOnceUntilRecovery() throws Exception {
    AtomicBoolean up = new AtomicBoolean();
    Recorder am = recorder(n -> up.get() ? 200 : 503);
    AlertmanagerSink sink = sink(List.of(URI.create(am.base)), Clock.fixed(NOW, ZoneOffset.UTC));
    AlertStatus resolved = status("DyingCgroupsHigh", "resolved", "unified", "/");
    sink.deliver(List.of(), List.of(resolved));
    awaitTrue(() -> sink.deliveries().get("failure") == 1, sink::deliveries);
    assertEquals(AlertmanagerSink.MAX_TRIES, am.requests.size());
    sink.deliver(List.of(status("DyingCgroupsGrowing", "firing", "unified", "/")), List.of());
    awaitTrue(() -> sink.deliveries().get("failure") == 2, sink::deliveries);
    assertEquals(1, logLines("alertmanager delivery failed"), "one line for the first failure only: "
        + logBytes.toString(StandardCharsets.UTF_8));

    up.set(true);
    sink.deliver(List.of(), List.of()); // nothing new: the undelivered resolved alert still goes
    awaitTrue(() -> sink.deliveries().get("success") == 1, sink::deliveries);
    JsonNode last = JSON.readTree(am.requests.get(am.requests.size() - 1).body);
    assertEquals(1, last.size(), last.toString());
    assertEquals("DyingCgroupsHigh", last.get(0).get("labels").get("alertname").asText());
    assertEquals(NOW.toString(), last.get(0).get("endsAt").asText());
    assertEquals(1, logLines("alertmanager delivery recovered"), logBytes.toString(StandardCharsets.UTF_8));
    assertEquals(Map.of("success", 1L, "failure", 2L, "dropped", 0L), sink.deliveries());
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    Recorder am = recorder(n -> 400);
    AlertmanagerSink sink = sink(List.of(URI.create(am.base)), Clock.systemUTC());
    sink.deliver(List.of(status("DyingCgroupsHigh", "firing", "unified", "/")), List.of());
    awaitTrue(() -> sink.deliveries().get("failure") == 1, sink::deliveries);
    assertEquals(1, am.requests.size());
  }

  @Test
  void anUnreachableAlertmanagerCountsFailuresNeverThrowsAndDoesNotHoldUpTheOthers() throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + freeLoopbackPort());
    Recorder am = recorder(n -> 200);
    AlertmanagerSink sink = sink(List.of(dead, URI.create(am.base)), Clock.systemUTC());
    for (int i = 0; i < 3; i++) {
      sink.deliver(List.of(status("DyingCgroupsHigh", "firing", "unified", "/")), List.of());
    }
    // Success is counted once the response is back, after the stand-in recorded the request: wait on the count.
    awaitTrue(() -> sink.deliveries().get("failure") >= 1 && sink.deliveries().get("success") >= 1,
        sink::deliveries);
    assertTrue(am.requests.size() >= 1);
    String logText = logBytes.toString(StandardCharsets.UTF_8);
    assertEquals(1, logLines("alertmanager delivery failed"), logText);
    assertTrue(logText.contains(dead.toString()), logText);
  }

  // --- helpers

  private AlertmanagerSink sink(List<URI> urls, Clock clock) {
    AlertmanagerSink s = new AlertmanagerSink(urls, Duration.ofSeconds(1), "test-host", Duration.ofMillis(20),
        clock, log);
    sinks.add(s);
    return s;
  }

  private static AlertStatus status(String name, String state, String hierarchy, String cgroup) {
    return new AlertStatus(name, "warning", state, hierarchy, cgroup, 5, 4, SINCE, name + " summary",
        name + " description");
  }

  private record Request(String method, String path, String contentType, String body) {}

  /** A stand-in Alertmanager: records each request and answers with the status {@code answer} gives the n-th. */
  private final class Recorder {
    final String base;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    Recorder(IntUnaryOperator answer) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      AtomicInteger n = new AtomicInteger();
      server.createContext("/", (HttpExchange x) -> {
        try (x) {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status = answer.applyAsInt(n.incrementAndGet());
          requests.add(new Request(x.getRequestMethod(), x.getRequestURI().getRawPath(),
              x.getRequestHeaders().getFirst("Content-Type"), body));
          byte[] reply = status == 200 ? new byte[0] : "{\"error\":\"test\"}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
          x.getResponseBody().write(reply);
        }
      });
      server.start();
      servers.add(server);
      base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The n-th request (1-based), waiting for it (bounded). */
    Request await(int n) throws InterruptedException {
      awaitTrue(() -> requests.size() >= n, () -> requests.size() + " requests");
      return requests.get(n - 1);
    }
  }

  private Recorder recorder(IntUnaryOperator answer) throws IOException {
    return new Recorder(answer);
  }

  private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<Object> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within " + WAIT.toSeconds() + " s; state: " + state.get());
      }
      Thread.sleep(10);
    }
  }

  private long logLines(String msg) {
    return logBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"msg\":\"" + msg)).count();
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<String> senderThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(name -> name.startsWith("cgwatch-alertmanager-")).toList();
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
