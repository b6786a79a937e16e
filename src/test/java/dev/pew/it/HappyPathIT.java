package dev.pew.it;

import dev.pew.event.ResultEvents;
import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HappyPathIT {

  @Test
  void turnsEveryEventIntoOneSentResultAndCallsEachEmailOnce(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 3)) {
      int n = 300;
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String email = "user" + i + "@example.com";
        String value = "{\"eventId\":\"signup-" + i + "\",\"cname\":\"tenant-" + (i % 7) + "\",\"email\":\"" + email + "\"}";
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(h.input, KafkaTestClient.bytes(email), KafkaTestClient.bytes(value));
        r.headers().add("traceparent", KafkaTestClient.bytes("00-trace-" + i));
        records.add(r);
      }
      h.kafka.sendAll(records);
      WorkerVerticle worker = h.deploy(h.config().with(MAX_IN_FLIGHT, 16).build());

      h.awaitResults(n, Duration.ofSeconds(60));
      h.awaitAllCommitted(Duration.ofSeconds(30));

      List<ConsumerRecord<byte[], byte[]>> sentRecords = h.records(h.sent);
      assertThat(sentRecords).hasSize(n);
      assertThat(h.kafka.count(h.failed)).isZero();
      Map<String, ResultEvent> byId = sentRecords.stream()
          .map(r -> ResultEvents.fromJson(r.value()))
          .collect(Collectors.toMap(ResultEvent::eventId, e -> e));
      assertThat(byId).hasSize(n);
      ResultEvent r7 = byId.get("signup-7");
      assertThat(r7.status()).isEqualTo(Status.SENT);
      assertThat(r7.email()).isEqualTo("user7@example.com");
      assertThat(r7.cname()).isEqualTo("tenant-0");
      assertThat(r7.attempts()).isEqualTo(1);
      assertThat(r7.httpStatus()).isEqualTo(200);
      assertThat(r7.error()).isEmpty();
      assertThat(r7.source().topic()).isEqualTo(h.input);
      assertThat(r7.completedAt()).isAfterOrEqualTo(r7.receivedAt());

      ConsumerRecord<byte[], byte[]> first = sentRecords.get(0);
      ResultEvent firstEvent = ResultEvents.fromJson(first.value());
      assertThat(KafkaTestClient.text(first.key())).isEqualTo(firstEvent.email());
      assertThat(KafkaTestClient.header(first, "event-id")).isEqualTo(firstEvent.eventId());
      assertThat(KafkaTestClient.header(first, "traceparent")).startsWith("00-trace-");

      for (int i = 0; i < n; i++) {
        assertThat(h.sim.callsFor("user" + i + "@example.com")).as("calls for user" + i).isEqualTo(1);
      }
      assertThat(h.sim.totalCalls()).isEqualTo(n);
      Set<String> cnames = h.sim.calls().stream().map(c -> c.cname()).collect(Collectors.toSet());
      assertThat(cnames).hasSize(7);
      assertThat(h.sim.peakConcurrent()).isLessThanOrEqualTo(16);
    }
  }
}
