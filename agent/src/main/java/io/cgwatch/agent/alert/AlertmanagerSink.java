package io.cgwatch.agent.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.model.AlertStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the built-in alerts to Alertmanagers ({@code POST <url>/api/v2/alerts}), the way Prometheus does: every
 * firing alert again after each evaluation with {@code endsAt} = now + 4 × interval (so that Alertmanager resolves
 * it by itself if cgwatch stops), and each resolved one with {@code endsAt} = now. Pending alerts are not sent.
 *
 * <p>{@link #deliver} never blocks: it only queues a batch for each Alertmanager. One daemon thread per
 * Alertmanager sends them: always the newest batch (older queued ones are stale: they are replaced, counted as
 * {@code dropped}, and their resolved alerts go along with the newer batch), at most {@value #MAX_TRIES} tries with
 * exponential back-off, a batch being abandoned as soon as a newer one is queued. Resolved alerts of a batch that
 * could not be delivered are carried into the next batches while they still matter (4 × interval: after that the
 * Alertmanager has expired the firing alert itself).
 *
 * <p>{@link #deliveries()} counts batches per Alertmanager added up: {@code success} (accepted with a 2xx),
 * {@code failure} (not accepted after its tries, or abandoned after a failed try) and {@code dropped} (replaced by
 * a newer batch before it was tried, or pushed out of a full queue).
 */
public final class AlertmanagerSink implements AlertSink, AutoCloseable {
  public static final int QUEUE_BATCHES = 64;
  public static final int MAX_TRIES = 3;
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  /** How long {@link #close()} waits for the sender threads. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
  /** Firing alerts are valid this many intervals: Prometheus' own choice for its alerts. */
  static final int RESEND_INTERVALS = 4;
  /** Resolved alerts carried from undelivered batches, at most. */
  static final int MAX_CARRIED = 1000;
  private static final int ERROR_BODY_CHARS = 200;

  private final Clock clock;
  private final Duration validity;
  private final String instance;
  private final Duration firstBackoff;
  private final JsonLog log;
  private final HttpClient http;
  private final List<Target> targets = new ArrayList<>();
  private final AtomicLong success = new AtomicLong();
  private final AtomicLong failure = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  /** With this host's name as the {@code instance} label and the default back-off. */
  public AlertmanagerSink(List<URI> alertmanagers, Duration interval, Clock clock, JsonLog log) {
    this(alertmanagers, interval, localHostName(), FIRST_BACKOFF, clock, log);
  }

  /**
   * @param alertmanagers base URLs ({@code http://host:9093}, or with a path prefix); user info in a URL is sent
   *     as HTTP basic authentication
   * @param interval the scan interval: firing alerts are sent with {@code endsAt} = now + 4 × interval
   * @param instance the {@code instance} label of every alert
   * @param firstBackoff the wait before the second try of a batch, doubled for each further one
   */
  public AlertmanagerSink(List<URI> alertmanagers, Duration interval, String instance, Duration firstBackoff,
      Clock clock, JsonLog log) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    this.clock = clock;
    this.validity = interval.multipliedBy(RESEND_INTERVALS);
    this.instance = instance;
    this.firstBackoff = firstBackoff;
    this.log = log;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    for (URI url : alertmanagers) {
      targets.add(new Target(url));
    }
    int i = 0;
    for (Target t : targets) {
      Thread thread = new Thread(t::run, "cgwatch-alertmanager-" + i++);
      thread.setDaemon(true);
      t.thread = thread;
      thread.start();
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("alertmanagers", targets.stream().map(t -> t.display).toList());
    f.put("instance", instance);
    log.info("sending alerts to alertmanager", f);
  }

  /** This host's name, as {@code instance}; {@code localhost} if it cannot be had. */
  static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | SecurityException e) {
      return "localhost";
    }
  }

  /** Queues one batch per Alertmanager and returns. Never throws. */
  @Override
  public void deliver(List<AlertStatus> active, List<AlertStatus> changes) {
    if (closed) {
      return;
    }
    try {
      Instant now = clock.instant();
      List<AlertmanagerPayload.Alert> alerts = new ArrayList<>();
      for (AlertStatus a : active) {
        if (a.firing()) {
          alerts.add(AlertmanagerPayload.alert(a, instance, now.plus(validity)));
        }
      }
      for (AlertStatus a : changes) {
        if ("resolved".equals(a.state())) {
          alerts.add(AlertmanagerPayload.alert(a, instance, now));
        }
      }
      // Also an empty batch: it may carry the resolved alerts of an undelivered one.
      AlertmanagerPayload.Batch batch = new AlertmanagerPayload.Batch(List.copyOf(alerts));
      for (Target t : targets) {
        t.offer(batch);
      }
    } catch (RuntimeException e) {
      log.error("cannot queue alerts for alertmanager", Map.of("error", String.valueOf(e)));
    }
  }

  /** Batches counted so far, all Alertmanagers added up: {@code success}, {@code failure}, {@code dropped}. */
  @Override
  public Map<String, Long> deliveries() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("success", success.get());
    m.put("failure", failure.get());
    m.put("dropped", dropped.get());
    return m;
  }

  /** Stops the sender threads (waits at most {@link #CLOSE_WAIT}); queued batches are not sent. */
  @Override
  public void close() {
    closed = true;
    for (Target t : targets) {
      t.lock.lock();
      try {
        t.changed.signalAll();
      } finally {
        t.lock.unlock();
      }
      t.thread.interrupt(); // also ends a request in flight
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (Target t : targets) {
      try {
        t.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One Alertmanager: its queue and its sender thread. */
  private final class Target {
    final URI endpoint;
    final Optional<String> authorization;
    final String display;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    /** Guarded by lock. */
    final ArrayDeque<AlertmanagerPayload.Batch> queue = new ArrayDeque<>();
    Thread thread;
    // The sender thread's own.
    AlertmanagerPayload.Batch carry;
    boolean failing;
    long failedBatches;

    Target(URI url) {
      if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        throw new IllegalArgumentException("alertmanager URL " + url.getScheme() + "://" + url.getHost()
            + "...: expected http(s)://host[:port][/path]");
      }
      String rawPath = url.getRawPath() == null ? "" : url.getRawPath();
      while (rawPath.endsWith("/")) {
        rawPath = rawPath.substring(0, rawPath.length() - 1);
      }
      String hostPort = url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
      this.endpoint = URI.create(url.getScheme() + "://" + hostPort + rawPath + "/api/v2/alerts");
      this.display = url.getScheme() + "://" + hostPort + rawPath; // never the user info
      this.authorization = Optional.ofNullable(url.getRawUserInfo()).map(u -> "Basic " + Base64.getEncoder()
          .encodeToString(URLDecoder.decode(u.replace("+", "%2B"), StandardCharsets.UTF_8)
              .getBytes(StandardCharsets.UTF_8)));
    }

    /** The caller's side: queue, pushing the oldest out when full. */
    void offer(AlertmanagerPayload.Batch b) {
      lock.lock();
      try {
        if (queue.size() >= QUEUE_BATCHES) {
          AlertmanagerPayload.Batch oldest = queue.pollFirst();
          countDropped(oldest);
          queue.addFirst(queue.pollFirst().absorb(oldest, notBefore())); // QUEUE_BATCHES > 1: there is a next
        }
        queue.addLast(b);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void countDropped(AlertmanagerPayload.Batch b) {
      if (!b.isEmpty()) {
        dropped.incrementAndGet();
      }
    }

    Instant notBefore() {
      return clock.instant().minus(validity);
    }

    void run() {
      try {
        while (!closed) {
          AlertmanagerPayload.Batch b = take();
          if (b == null) {
            return;
          }
          b = b.absorb(carry, notBefore());
          carry = null;
          if (!b.isEmpty()) {
            send(b);
          }
        }
      } catch (InterruptedException e) {
        // close()
      } catch (RuntimeException | Error e) {
        log.error("alertmanager sender stopped", Map.of("alertmanager", display, "error", String.valueOf(e)));
      }
    }

    /** The newest batch, with the resolved alerts of the older ones it replaces; null once closed. */
    private AlertmanagerPayload.Batch take() throws InterruptedException {
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          changed.await();
        }
        if (closed) {
          return null;
        }
        AlertmanagerPayload.Batch b = queue.pollFirst();
        while (!queue.isEmpty()) {
          countDropped(b);
          b = queue.pollFirst().absorb(b, notBefore());
        }
        return b;
      } finally {
        lock.unlock();
      }
    }

    private void send(AlertmanagerPayload.Batch b) throws InterruptedException {
      byte[] body;
      try {
        body = b.json();
      } catch (JsonProcessingException e) {
        failure.incrementAndGet();
        log.error("cannot encode alerts", Map.of("error", String.valueOf(e)));
        return;
      }
      Duration backoff = firstBackoff;
      for (int attempt = 1; ; attempt++) {
        Attempt r = post(body);
        if (r.ok()) {
          if (failing) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("alertmanager", display);
            f.put("failed_batches", failedBatches);
            log.info("alertmanager delivery recovered", f);
            failing = false;
            failedBatches = 0;
          }
          success.incrementAndGet(); // after the log line: whoever sees the count sees the line
          return;
        }
        if (!failing) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("alertmanager", display);
          f.put("error", r.error());
          log.warn("alertmanager delivery failed (retried; further failures are only counted until it recovers)",
              f);
          failing = true;
        }
        if (!r.retryable() || attempt >= MAX_TRIES) {
          break;
        }
        if (!waitOrNewer(backoff)) {
          break; // a newer batch replaces this one
        }
        backoff = backoff.multipliedBy(2);
      }
      failure.incrementAndGet();
      failedBatches++;
      carry = b; // its resolved alerts go with the next batch
    }

    /** Waits the back-off; false as soon as a newer batch is queued. */
    private boolean waitOrNewer(Duration d) throws InterruptedException {
      lock.lock();
      try {
        long left = d.toNanos();
        while (queue.isEmpty() && !closed && left > 0) {
          left = changed.awaitNanos(left);
        }
        if (closed) {
          throw new InterruptedException("closed");
        }
        return queue.isEmpty();
      } finally {
        lock.unlock();
      }
    }

    private Attempt post(byte[] body) throws InterruptedException {
      HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
      authorization.ifPresent(a -> req.header("Authorization", a));
      try {
        HttpResponse<String> resp = http.send(req.build(), info -> info.statusCode() / 100 == 2
            ? HttpResponse.BodySubscribers.replacing("") : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8));
        int status = resp.statusCode();
        if (status / 100 == 2) {
          return new Attempt(true, false, null);
        }
        String text = resp.body() == null ? "" : resp.body().strip();
        if (text.length() > ERROR_BODY_CHARS) {
          text = text.substring(0, ERROR_BODY_CHARS) + "…";
        }
        return new Attempt(false, status >= 500 || status == 429, "HTTP " + status + (text.isEmpty() ? "" : ": " + text));
      } catch (IOException e) {
        return new Attempt(false, true, String.valueOf(e));
      } catch (IllegalArgumentException e) {
        return new Attempt(false, false, String.valueOf(e));
      }
    }
  }

  private record Attempt(boolean ok, boolean retryable, String error) {}
}
