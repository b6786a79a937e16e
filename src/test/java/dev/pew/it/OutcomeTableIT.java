package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.config.OnAuthFailure;
import dev.pew.event.ErrorCategory;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every row of the contract's outcome table, end to end on the real broker and the simulator. */
@ExtendWith(VertxExtension.class)
class OutcomeTableIT {

  private static String event(String email) {
    return "{\"eventId\":\"" + email + "\",\"email\":\"" + email + "\",\"cname\":\"acme\"}";
  }

  @Test
  void classifiesEachAnswerAsTheContractSaysAndCopiesFailuresToTheDeadLetterTopic(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      XcSimulator sim = h.sim;
      sim.respond("nf@example.com", 404, -1, null);
      sim.respond("conflict@example.com", 409, -1, null);
      sim.respond("bad@example.com", 400, -1, null);
      sim.respond("teapot@example.com", 418, -1, null);
      sim.respond("unauth@example.com", 401, -1, null);
      sim.respond("forbidden@example.com", 403, -1, null);
      sim.respond("flaky@example.com", 503, 2, null);
      sim.respond("flaky500@example.com", 500, 1, null);
      sim.respond("flaky502@example.com", 502, 1, null);
      sim.respond("flaky504@example.com", 504, 1, null);
      sim.respond("throttled@example.com", 429, 1, "1");
      sim.respond("down@example.com", 500, -1, null);
      List<String> emails = List.of("ok@example.com", "nf@example.com", "conflict@example.com", "bad@example.com",
          "teapot@example.com", "unauth@example.com", "forbidden@example.com", "flaky@example.com",
          "flaky500@example.com", "flaky502@example.com", "flaky504@example.com", "throttled@example.com",
          "down@example.com");
      for (String e : emails) {
        h.send(e, event(e));
      }
      h.deploy(h.config()
          .with(MAX_ATTEMPTS, 3)
          .with(HOLD_AFTER_FAILURES, 0) // this test is about single events, not about outages
          .with(ON_AUTH_FAILURE, OnAuthFailure.FAIL)
          .with(TOPIC_DEAD_LETTER, h.deadLetter)
          .build());
      h.awaitResults(emails.size(), Duration.ofSeconds(30));
      h.awaitAllCommitted(Duration.ofSeconds(15));

      Map<String, ResultEvent> results = h.results(h.sent).stream().collect(Collectors.toMap(ResultEvent::eventId, Function.identity()));
      h.results(h.failed).forEach(r -> results.put(r.eventId(), r));
      assertThat(results).hasSize(emails.size());

      assertSent(results.get("ok@example.com"), 1);
      assertFailed(results.get("nf@example.com"), ErrorCategory.NOT_FOUND, 404, 1);
      assertFailed(results.get("conflict@example.com"), ErrorCategory.CONFLICT, 409, 1);
      assertFailed(results.get("bad@example.com"), ErrorCategory.REJECTED, 400, 1);
      assertFailed(results.get("teapot@example.com"), ErrorCategory.REJECTED, 418, 1);
      assertFailed(results.get("unauth@example.com"), ErrorCategory.UNAUTHORIZED, 401, 1);
      assertFailed(results.get("forbidden@example.com"), ErrorCategory.FORBIDDEN, 403, 1);
      assertSent(results.get("flaky@example.com"), 3);
      assertSent(results.get("flaky500@example.com"), 2);
      assertSent(results.get("flaky502@example.com"), 2);
      assertSent(results.get("flaky504@example.com"), 2);
      assertSent(results.get("throttled@example.com"), 2);
      ResultEvent exhausted = results.get("down@example.com");
      assertFailed(exhausted, ErrorCategory.RETRIES_EXHAUSTED, 500, 3);
      assertThat(exhausted.error().orElseThrow().retryable()).isTrue();
      assertThat(exhausted.error().orElseThrow().message()).contains("500");
      assertThat(sim.callsFor("down@example.com")).isEqualTo(3);
      assertThat(sim.callsFor("nf@example.com")).isEqualTo(1);

      // Retry-After: 1 was honoured before the throttled event was called again.
      List<XcSimulator.Call> throttled = sim.calls().stream().filter(c -> c.email().equals("throttled@example.com")).toList();
      assertThat(throttled).hasSize(2);
      assertThat(Duration.ofNanos(throttled.get(1).startNanos() - throttled.get(0).endNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(900));

      // Each failed input copied byte for byte to the dead-letter topic, with the error headers.
      List<ConsumerRecord<byte[], byte[]>> dead = h.records(h.deadLetter);
      assertThat(dead).hasSize(7);
      ConsumerRecord<byte[], byte[]> nf = dead.stream().filter(r -> KafkaTestClient.text(r.key()).equals("nf@example.com")).findFirst().orElseThrow();
      assertThat(KafkaTestClient.text(nf.value())).isEqualTo(event("nf@example.com"));
      assertThat(KafkaTestClient.header(nf, "error-category")).isEqualTo("NOT_FOUND");
      assertThat(KafkaTestClient.header(nf, "error-message")).contains("404");
      assertThat(KafkaTestClient.header(nf, "source-topic")).isEqualTo(h.input);
      assertThat(KafkaTestClient.header(nf, "source-partition")).isEqualTo("0");
      assertThat(KafkaTestClient.header(nf, "source-offset")).isEqualTo("1");
    }
  }

  @Test
  void exhaustsRetriesWhenCallsTimeOut(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      h.sim.hang("slow@example.com");
      h.send("slow@example.com", event("slow@example.com"));
      h.deploy(h.config().with(MAX_ATTEMPTS, 2).with(REQUEST_TIMEOUT_MS, 300).build());
      h.awaitResults(1, Duration.ofSeconds(20));
      ResultEvent r = h.results(h.failed).get(0);
      assertFailed(r, ErrorCategory.RETRIES_EXHAUSTED, null, 2);
      assertThat(r.error().orElseThrow().message()).contains("no answer within 300 ms");
      assertThat(h.sim.callsFor("slow@example.com")).isEqualTo(2);
    }
  }

  @Test
  void exhaustsRetriesOnConnectionErrors(Vertx vertx) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      h.send("a@example.com", event("a@example.com"));
      h.deploy(h.config().with(MAX_ATTEMPTS, 3)
          .with(XC_ENDPOINT_URL, "http://127.0.0.1:" + closedPort + "/no_auth/send_password_email").build());
      h.awaitResults(1, Duration.ofSeconds(20));
      ResultEvent r = h.results(h.failed).get(0);
      assertFailed(r, ErrorCategory.RETRIES_EXHAUSTED, null, 3);
      assertThat(r.error().orElseThrow().message()).contains("connection");
    }
  }

  private static void assertSent(ResultEvent r, int attempts) {
    assertThat(r.status()).isEqualTo(Status.SENT);
    assertThat(r.httpStatus()).isEqualTo(200);
    assertThat(r.attempts()).isEqualTo(attempts);
    assertThat(r.error()).isEmpty();
  }

  private static void assertFailed(ResultEvent r, ErrorCategory category, Integer status, int attempts) {
    assertThat(r.status()).as(r.eventId()).isEqualTo(Status.FAILED);
    assertThat(r.error().orElseThrow().category()).as(r.eventId()).isEqualTo(category);
    assertThat(r.httpStatus()).as(r.eventId()).isEqualTo(status);
    assertThat(r.attempts()).as(r.eventId()).isEqualTo(attempts);
    assertThat(r.error().orElseThrow().retryable()).isEqualTo(category.retryable());
  }
}
