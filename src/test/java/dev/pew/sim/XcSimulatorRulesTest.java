package dev.pew.sim;

import static dev.pew.sim.SimClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator misbehaves when told to: latency, respond, hang, down, fail rate, throttle, precedence. */
@Timeout(10)
class XcSimulatorRulesTest extends SimulatorTestBase {

  private static final String EMAIL = "hello@example.com";


  @Test
  void delaysEveryAnswerByAtLeastTheMinimumLatency() {
    sim.latency(Duration.ofMillis(200), Duration.ofMillis(250));

    long started = System.nanoTime();
    HttpResponse<Buffer> ok = client.call(EMAIL);
    long okMillis = (System.nanoTime() - started) / 1_000_000;
    started = System.nanoTime();
    HttpResponse<Buffer> invalid = client.raw(HttpMethod.POST, XcSimulator.API_PATH, "application/json", "{}");
    long invalidMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(okMillis).isGreaterThanOrEqualTo(200);
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalidMillis).isGreaterThanOrEqualTo(200);
  }

  @Test
  void answersRespondStatusForTheNextCallsThenOk() {
    sim.respond(EMAIL, 503, 2, "2");

    HttpResponse<Buffer> first = client.call(EMAIL);
    HttpResponse<Buffer> other = client.call("other@example.com");
    HttpResponse<Buffer> second = client.call(EMAIL);
    HttpResponse<Buffer> third = client.call(EMAIL);

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.getHeader("Retry-After")).isEqualTo("2");
    assertThat(first.bodyAsJsonObject().getInteger("code")).isEqualTo(14);
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(third.getHeader("Retry-After")).isNull();
  }

  @Test
  void answersRespondStatusForeverWithNegativeTimes() {
    sim.respond(EMAIL, 404, -1, null);

    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> response = client.call(EMAIL);
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.getHeader("Retry-After")).isNull();
    }
  }

  @Test
  void hangNeverAnswersAndCountsAsConcurrentUntilTheClientGivesUp() {
    sim.hang(EMAIL);

    Future<HttpResponse<Buffer>> hung = client.request(HttpMethod.POST, XcSimulator.API_PATH)
        .idleTimeout(600).sendJsonObject(SimClient.body(EMAIL));

    await().atMost(Duration.ofSeconds(2)).until(() -> sim.concurrent() == 1);
    assertThat(client.call("other@example.com").statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> await(hung)).hasMessageContaining("imeout");
    await().atMost(Duration.ofSeconds(2)).until(() -> sim.concurrent() == 0);
    XcSimulator.Call call = sim.calls().get(0);
    assertThat(call.answered()).isFalse();
    assertThat(call.endNanos()).isEqualTo(-1);
    assertThat(sim.statusCounts()).doesNotContainKey(-1);
  }

  @Test
  void resetLetsGoOfHungCalls() {
    sim.hang(EMAIL);
    Future<HttpResponse<Buffer>> hung = client.send(EMAIL);
    await().atMost(Duration.ofSeconds(2)).until(() -> sim.concurrent() == 1);

    sim.reset();

    assertThatThrownBy(() -> await(hung)).isInstanceOf(IllegalStateException.class);
    await().atMost(Duration.ofSeconds(2)).until(() -> sim.concurrent() == 0);
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);
  }

  @Test
  void answersDownStatusForTheDurationThenRecovers() {
    sim.down(503, Duration.ofMillis(300));

    assertThat(client.call(EMAIL).statusCode()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
        .until(() -> client.call(EMAIL).statusCode() == 200);
    assertThat(sim.statusCounts()).containsKeys(503, 200);
  }

  @Test
  void staysDownUntilUp() {
    sim.down(502, null);
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(502);
    assertThat(client.call("other@example.com").statusCode()).isEqualTo(502);

    sim.up();

    assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);
  }

  @Test
  void honoursFailRateRoughlyWithFixedSeed() {
    sim.failRate(0.2, 500);

    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(client.send("user" + i + "@example.com"));
    }
    await(Future.all(calls));

    long failed = sim.statusCounts().getOrDefault(500, 0L);
    assertThat(failed).isBetween(35L, 85L);
    assertThat(failed + sim.statusCounts().getOrDefault(200, 0L)).isEqualTo(300);
  }

  @Test
  void repeatsTheSameFailuresAfterResetWithTheSameSeed() {
    List<Integer> firstRun = statusesOfTwentyCallsAtFailRate();
    sim.reset();
    List<Integer> secondRun = statusesOfTwentyCallsAtFailRate();

    assertThat(secondRun).isEqualTo(firstRun).contains(200, 503);
  }

  private List<Integer> statusesOfTwentyCallsAtFailRate() {
    sim.failRate(0.5, 503);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      statuses.add(client.call(EMAIL).statusCode());
    }
    return statuses;
  }

  @Test
  void throttlesCallsAboveTheRateWith429AndRetryAfter() {
    AtomicLong nanos = new AtomicLong();
    XcSimulator throttled = await(XcSimulator.start(vertx, new SimulatorOptions().nanoClock(nanos::get)));
    try {
      SimClient throttledClient = new SimClient(vertx, throttled);
      throttled.throttle(2, "3");

      assertThat(throttledClient.call(EMAIL).statusCode()).isEqualTo(200);
      assertThat(throttledClient.call(EMAIL).statusCode()).isEqualTo(200);
      HttpResponse<Buffer> over = throttledClient.call(EMAIL);
      assertThat(over.statusCode()).isEqualTo(429);
      assertThat(over.getHeader("Retry-After")).isEqualTo("3");
      assertThat(over.bodyAsJsonObject().getInteger("code")).isEqualTo(8);

      nanos.addAndGet(Duration.ofMillis(500).toNanos());
      assertThat(throttledClient.call(EMAIL).statusCode()).isEqualTo(200);
      assertThat(throttledClient.call(EMAIL).statusCode()).isEqualTo(429);

      throttled.throttle(0, null);
      assertThat(throttledClient.call(EMAIL).statusCode()).isEqualTo(200);
    } finally {
      await(throttled.close());
    }
  }

  @Test
  void peakConcurrentEqualsTheNumberOfParallelSlowCalls() {
    int parallel = 8;
    sim.latency(Duration.ofMillis(500), Duration.ofMillis(500));

    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < parallel; i++) {
      calls.add(client.send("user" + i + "@example.com"));
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> sim.concurrent() == parallel);
    await(Future.all(calls));

    assertThat(sim.peakConcurrent()).isEqualTo(parallel);
    assertThat(sim.concurrent()).isZero();
    sim.resetPeak();
    assertThat(sim.peakConcurrent()).isZero();
  }

  @Test
  void appliesRulesInPrecedenceOrder() {
    sim.acceptToken("t");
    sim.down(503, null);
    sim.respond(EMAIL, 409, -1, null);
    sim.failRate(1.0, 500);
    sim.hang("hung@example.com");
    Future<HttpResponse<Buffer>> hung = client.send("hung@example.com");

    assertThat(client.call(EMAIL).statusCode()).as("auth beats down").isEqualTo(401);
    assertThat(client.callWithAuthorization(EMAIL, "APIToken t").statusCode()).as("down beats respond").isEqualTo(503);
    sim.up();
    assertThat(client.callWithAuthorization(EMAIL, "APIToken t").statusCode()).as("respond beats magic, fail rate")
        .isEqualTo(409);
    assertThat(client.callWithAuthorization("jane+404@example.com", "APIToken t").statusCode())
        .as("magic beats fail rate").isEqualTo(404);
    assertThat(client.callWithAuthorization("plain@example.com", "APIToken t").statusCode()).isEqualTo(500);
    assertThat(hung.isComplete()).as("hang beats auth").isFalse();
  }

  @Test
  void resetRestoresStartOptionsAndClearsStats() {
    sim.down(503, null).respond(EMAIL, 404, -1, null).acceptToken("t").throttle(1, null);
    client.call(EMAIL);

    sim.reset();

    assertThat(sim.totalCalls()).isZero();
    assertThat(sim.calls()).isEmpty();
    assertThat(sim.statusCounts()).isEmpty();
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);
    assertThat(sim.callsFor(EMAIL)).isEqualTo(2);
  }
}
