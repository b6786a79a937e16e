package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.replay.ReplayCommand;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dead-letter replay on the real broker, run in-process through the command's entry point with only
 * Kafka settings in its environment (no XC_ENDPOINT_URL): events fail (404, 409, 503 until their
 * attempts are used up, one invalid record), the API heals, a dry run publishes nothing, a replay by
 * category republishes only those, a second one the rest, and every replayed event ends SENT.
 */
@ExtendWith(VertxExtension.class)
class ReplayIT {

  record Run(int code, String out, String err) {}

  @Test
  @Timeout(90)
  void replaysTheDeadLettersOnceTheApiHealsOnlyThoseTheFiltersName(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      List<String> notFound = emails("nf", 4);
      List<String> conflict = emails("cf", 3);
      List<String> exhausted = emails("ex", 3);
      List<String> fine = emails("ok", 5);
      notFound.forEach(e -> h.sim.respond(e, 404, -1, null));
      conflict.forEach(e -> h.sim.respond(e, 409, -1, null));
      exhausted.forEach(e -> h.sim.respond(e, 503, -1, null));
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (List<String> group : List.of(notFound, conflict, exhausted, fine)) {
        for (String email : group) {
          ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(h.input, KafkaTestClient.bytes(email),
              KafkaTestClient.bytes("{\"eventId\":\"" + email + "\",\"email\":\"" + email + "\"}"));
          r.headers().add("traceparent", KafkaTestClient.bytes("00-" + email.hashCode() + "-01"));
          records.add(r);
        }
      }
      records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes("broken"), KafkaTestClient.bytes("not json")));
      h.kafka.sendAll(records);
      h.deploy(h.config().with(TOPIC_DEAD_LETTER, h.deadLetter).with(MAX_ATTEMPTS, 2).with(HOLD_AFTER_FAILURES, 0).build());
      h.awaitResults(16, Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(15)).until(() -> h.kafka.count(h.deadLetter) == 11);
      assertThat(h.kafka.count(h.sent)).isEqualTo(5);
      Instant afterTheFailures = Instant.now();

      h.sim.reset(); // the API heals
      Map<String, String> env = new HashMap<>();
      env.put("KAFKA_BOOTSTRAP_SERVERS", h.kafka.bootstrap());
      env.put("TOPIC_INPUT", h.input);

      // A dry run publishes nothing and says what it would.
      Run dry = replay(env, "--from", h.deadLetter, "--dry-run");
      assertThat(dry.code()).as(dry.err()).isZero();
      assertThat(dry.out().lines().filter(l -> l.startsWith("would publish " + h.deadLetter + "-"))).hasSize(11);
      assertThat(dry.out()).contains(row("read", "11 records")).contains(row("matched", "11 (no filter)"))
          .contains(row("published", "0 (dry run; 11 would be published to ") + h.input + ")")
          .doesNotContain("nf0@example.com");
      assertThat(h.kafka.count(h.input)).as("a dry run publishes nothing").isEqualTo(16);
      assertThat(replay(env, "--from", h.deadLetter, "--dry-run", "--limit", "2").out()
          .lines().filter(l -> l.startsWith("would publish"))).hasSize(2);
      Run later = replay(env, "--from", h.deadLetter, "--dry-run", "--since", afterTheFailures.toString());
      assertThat(later.out()).as(later.out()).contains(row("matched", "0"));
      Run earlier = replay(env, "--from", h.deadLetter, "--dry-run", "--until", afterTheFailures.minusSeconds(3600).toString());
      assertThat(earlier.out()).as(earlier.out()).contains(row("read", "11")).contains(row("matched", "0"))
          .contains(row("skipped by filter", "11 (category 0, time 11)"));

      // By category: only the NOT_FOUND ones go back.
      Run nf = replay(env, "--from", h.deadLetter, "--category", "NOT_FOUND");
      assertThat(nf.code()).as(nf.err()).isZero();
      assertThat(nf.out()).contains(row("matched", "4 (--category NOT_FOUND)"))
          .contains(row("published", "4 to ") + h.input).contains(row("skipped by filter", "7 (category 7, time 0)"));
      List<ConsumerRecord<byte[], byte[]>> replayed = h.kafka.readAll(h.input).stream()
          .filter(r -> r.headers().lastHeader("replayed-from") != null).toList();
      assertThat(replayed).extracting(r -> text(r.key())).containsExactlyInAnyOrderElementsOf(notFound);
      for (ConsumerRecord<byte[], byte[]> r : replayed) {
        String email = text(r.key());
        assertThat(text(r.value())).isEqualTo("{\"eventId\":\"" + email + "\",\"email\":\"" + email + "\"}");
        assertThat(text(r.headers().lastHeader("traceparent").value())).isEqualTo("00-" + email.hashCode() + "-01");
        assertThat(text(r.headers().lastHeader("replayed-from").value())).matches(h.deadLetter + "-0-[0-9]+");
        assertThat(r.headers().lastHeader("event-id")).as("the input had none").isNull();
        for (String gone : List.of("error-category", "error-message", "source-topic", "source-partition", "source-offset")) {
          assertThat(r.headers().lastHeader(gone)).as(gone).isNull();
        }
      }
      h.awaitResults(16 + 4, Duration.ofSeconds(30));
      assertThat(sentIds(h)).containsAll(notFound);
      assertThat(h.sim.callsFor(conflict.get(0))).as("not replayed yet: not called since the API healed").isZero();

      // The rest, but the invalid record (it would only fail again).
      Run rest = replay(env, "--from", h.deadLetter, "--category", "CONFLICT", "--category", "RETRIES_EXHAUSTED");
      assertThat(rest.code()).as(rest.err()).isZero();
      assertThat(rest.out()).contains(row("published", "6 to ") + h.input);
      h.awaitResults(16 + 10, Duration.ofSeconds(30));

      List<String> failedBefore = new ArrayList<>(notFound);
      failedBefore.addAll(conflict);
      failedBefore.addAll(exhausted);
      assertThat(sentIds(h)).as("every replayed event is SENT").containsAll(failedBefore).containsAll(fine).hasSize(15);
      assertThat(h.results(h.sent)).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.SENT));
      assertThat(h.kafka.count(h.failed)).as("no new failure").isEqualTo(11);
      assertThat(h.kafka.count(h.deadLetter)).isEqualTo(11);
      System.out.println("---- replay --category NOT_FOUND ----\n" + nf.out() + "---- replay --dry-run (first lines) ----\n"
          + dry.out().lines().limit(3).collect(Collectors.joining("\n")));
    }
  }

  private static Run replay(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ReplayCommand.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Set<String> sentIds(WorkerHarness h) {
    return h.results(h.sent).stream().map(ResultEvent::eventId).collect(Collectors.toSet());
  }

  private static List<String> emails(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i + "@example.com").toList();
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A summary line as the command prints it. */
  private static String row(String label, String value) {
    return String.format(java.util.Locale.ROOT, "  %-18s %s", label, value);
  }
}
