package io.cgwatch.bench;

import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.cgroupfs.HostRoots;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code GET /metrics} over loopback HTTP from a real {@link Serve} that has scanned a synthetic tree once (no
 * timer, so every scrape serves the same publication): the whole cost a Prometheus scrape puts on the agent. The
 * agent side only copies bytes rendered at scan time; {@code gzip} asks for the compressed body as Prometheus does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class ScrapeBenchmark {
  @Param({"v2-10000"})
  public String tree;

  @Param({"default", "all"})
  public String cardinality;

  @Param({"true"})
  public boolean gzip;

  private Serve serve;
  private HttpClient client;
  private HttpRequest request;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    var export = RenderBenchmark.exportOptions(cardinality);
    ServeSettings s = new ServeSettings(new InetSocketAddress("127.0.0.1", 0), Duration.ofDays(1),
        HostRoots.of(BenchTrees.tree(tree)), export.maxDepth(), List.of(), List.of(), export.maxCgroups(),
        Duration.ofSeconds(1), Duration.ofHours(1), Optional.empty(), Optional.empty(), Map.of(), Map.of(),
        List.of());
    serve = Serve.start(s, Clock.systemUTC(), "bench", new JsonLog(new PrintStream(OutputStream.nullOutputStream()),
        Clock.systemUTC()), false);
    serve.pollNow();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + "/metrics"))
        .header("Accept", "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5");
    request = (gzip ? b.header("Accept-Encoding", "gzip") : b).GET().build();
  }

  @Benchmark
  public int scrape() throws IOException, InterruptedException {
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200 || r.body().length == 0) {
      throw new IllegalStateException("scrape answered " + r.statusCode());
    }
    return r.body().length;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    serve.close();
  }
}
