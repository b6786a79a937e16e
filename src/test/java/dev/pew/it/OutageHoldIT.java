package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.event.ResultEvent;
import dev.pew.sim.XcSimulator;

import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 20 s outage of the API (every call answers 503) from before the worker starts: the worker
 * holds instead of burning attempts, reports not-ready naming the hold, probes one call at a time,
 * and when the API is back sends every event: none FAILED, none lost, and the API saw only a
 * handful of calls during the outage.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class OutageHoldIT {

  private static final int BACKLOG = 300;
  private static final int MAX_IN_FLIGHT = 16;
  private static final int MAX_ATTEMPTS = 3;
  private static final long BACKOFF_INITIAL_MS = 200;
  private static final long BACKOFF_MAX_MS = 2000;
  /** The default HOLD_AFTER_FAILURES. */
  private static final int HOLD_AFTER_FAILURES = 5;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void holdsThroughAnOutageProbingOneCallAtATimeAndSendsEverythingAfterwards(Vertx vertx) throws Exception {
    try (WorkerHarness h = WorkerHarness.start(vertx, 3)) {
      h.backlog("out", BACKLOG);
      long downAt = System.nanoTime(); // the simulator's default clock
      h.sim.down(503, OUTAGE);
      long downEnd = downAt + OUTAGE.toNanos();
      WorkerVerticle worker = h.deploy(h.config()
          .with(dev.pew.config.Settings.MAX_IN_FLIGHT, MAX_IN_FLIGHT)
          .with(dev.pew.config.Settings.MAX_ATTEMPTS, MAX_ATTEMPTS)
          .with(dev.pew.config.Settings.BACKOFF_INITIAL_MS, BACKOFF_INITIAL_MS)
          .with(dev.pew.config.Settings.BACKOFF_MAX_MS, BACKOFF_MAX_MS)
          .with(dev.pew.config.Settings.HOLD_AFTER_FAILURES, HOLD_AFTER_FAILURES)
          .build());
      String readyUrl = "http://127.0.0.1:" + worker.opsPort() + "/health/ready";

      // During the outage: not ready, and the api check says why.
      AtomicReference<Readiness> duringOutage = new AtomicReference<>();
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
        Readiness r = readiness(readyUrl);
        duringOutage.set(r);
        return r.status == 503 && "OUTAGE".equals(r.api().getJsonObject("data", new JsonObject()).getString("holding"));
      });
      long holdSeenAt = System.nanoTime();
      assertThat(holdSeenAt).as("the hold was seen while the API was still down").isLessThan(downEnd - 5_000_000_000L);
      assertThat(duringOutage.get().api().getString("status")).isEqualTo("DOWN");
      assertThat(h.kafka.count(h.failed)).as("nothing failed during the outage").isZero();
      // And it stays so while the API is down (every poll over 3 s).
      Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
          .until(() -> readiness(readyUrl).status == 503);

      // After the outage: ready again, and every event sent once.
      Awaitility.await().atMost(OUTAGE.plusSeconds(15)).pollInterval(Duration.ofMillis(200))
          .until(() -> readiness(readyUrl).status == 200);
      long readyAgainAt = System.nanoTime();
      assertThat(readyAgainAt).as("ready only after the outage").isGreaterThanOrEqualTo(downEnd);
      assertThat(readiness(readyUrl).api().getString("status")).isEqualTo("UP");
      h.awaitResults(BACKLOG, Duration.ofSeconds(20));
      h.awaitAllCommitted(Duration.ofSeconds(15));

      assertThat(h.results(h.failed)).as("FAILED results").isEmpty();
      List<ResultEvent> sent = h.results(h.sent);
      assertThat(sent).extracting(ResultEvent::eventId).doesNotHaveDuplicates().hasSize(BACKLOG);

      List<XcSimulator.Call> calls = h.sim.calls();
      long got503 = h.sim.statusCounts().getOrDefault(503, 0L);
      // Before the hold: MAX_IN_FLIGHT calls, plus one new call per failure that came back before
      // the HOLD_AFTER_FAILURES-th. While holding: one probe at a time, each at least
      // BACKOFF_INITIAL_MS after the hold started or the previous probe ended.
      long probeBound = OUTAGE.toMillis() / BACKOFF_INITIAL_MS + 1;
      long bound = MAX_IN_FLIGHT + (HOLD_AFTER_FAILURES - 1) + probeBound;
      int concurrentWhileHolding = maxConcurrent(calls, holdSeenAt, downEnd);
      long callsWhileHolding = calls.stream().filter(c -> c.startNanos() >= holdSeenAt && c.startNanos() < downEnd).count();
      int maxAttempts = sent.stream().mapToInt(ResultEvent::attempts).max().orElse(0);
      System.out.printf("MEASURED OutageHoldIT: 503s=%d (bound %d) callsWhileHolding=%d (%.1f s) "
              + "maxConcurrentWhileHolding=%d totalCalls=%d maxAttemptsReported=%d readyAgainAfterOutageEnd=%d ms "
              + "heldSeconds(first seen)=%s%n",
          got503, bound, callsWhileHolding, (downEnd - holdSeenAt) / 1e9, concurrentWhileHolding, h.sim.totalCalls(),
          maxAttempts, (readyAgainAt - downEnd) / 1_000_000, duringOutage.get().api().getJsonObject("data"));
      assertThat(got503).as("calls answered 503 during the outage").isLessThanOrEqualTo(bound);
      assertThat(concurrentWhileHolding).as("probes run one at a time").isLessThanOrEqualTo(1);
      assertThat(callsWhileHolding).as("the worker does probe while holding").isPositive();
    }
  }

  /** Most calls in flight at once at any instant within [from, to), from the simulator's log. */
  private static int maxConcurrent(List<XcSimulator.Call> calls, long from, long to) {
    List<long[]> edges = new ArrayList<>();
    for (XcSimulator.Call c : calls) {
      long end = c.endNanos() < 0 ? Long.MAX_VALUE : c.endNanos();
      long s = Math.max(c.startNanos(), from);
      long e = Math.min(end, to);
      if (s < e) {
        edges.add(new long[] {s, 1});
        edges.add(new long[] {e, -1});
      }
    }
    // Ends before starts at the same instant: a call that ends as the next begins does not overlap it.
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int max = 0;
    for (long[] edge : edges) {
      now += (int) edge[1];
      max = Math.max(max, now);
    }
    return max;
  }

  private record Readiness(int status, JsonObject body) {
    JsonObject api() {
      JsonArray checks = body.getJsonArray("checks", new JsonArray());
      for (int i = 0; i < checks.size(); i++) {
        JsonObject check = checks.getJsonObject(i);
        if ("api".equals(check.getString("id"))) {
          return check;
        }
      }
      return new JsonObject();
    }
  }

  private Readiness readiness(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new Readiness(r.statusCode(), r.body().isBlank() ? new JsonObject() : new JsonObject(r.body()));
  }

}
