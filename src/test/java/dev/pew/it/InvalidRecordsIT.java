package dev.pew.it;

import dev.pew.event.ResultEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.event.ErrorCategory;
import dev.pew.event.ResultEvent;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input gets a clear INVALID_EVENT result, no call, and loses nothing around it. */
@ExtendWith(VertxExtension.class)
class InvalidRecordsIT {

  @Test
  void answersEachInvalidRecordWithoutACallAndKeepsProcessingTheValidOnesAroundIt(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0xc3};
      String huge = "{\"email\":\"big@example.com\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
      String longCname = "{\"email\":\"c@example.com\",\"cname\":\"" + "a".repeat(300) + "\"}";
      send(h, "valid-1", "{\"email\":\"first@example.com\"}");
      send(h, "not-json", "this is not json");
      send(h, "array", "[1,2,3]");
      send(h, "no-email", "{\"cname\":\"acme\"}");
      send(h, "bad-email", "{\"email\":\"not-an-address\"}");
      send(h, "long-cname", longCname);
      h.kafka.send(new ProducerRecord<>(h.input, KafkaTestClient.bytes("binary"), binary));
      send(h, "huge", huge);
      h.kafka.send(new ProducerRecord<>(h.input, KafkaTestClient.bytes("tombstone"), null));
      send(h, "valid-2", "{\"email\":\"second@example.com\"}");

      h.deploy(h.config().build());
      h.awaitResults(9, Duration.ofSeconds(30));
      h.awaitAllCommitted(Duration.ofSeconds(15)); // the tombstone's offset too

      assertThat(h.results(h.sent)).extracting(ResultEvent::email).containsExactlyInAnyOrder("first@example.com", "second@example.com");
      Map<String, ResultEvent> invalid = h.records(h.failed).stream()
          .collect(Collectors.toMap(r -> KafkaTestClient.text(r.key()), r -> ResultEvents.fromJson(r.value()), (a, b) -> a));
      assertThat(invalid.keySet()).containsExactlyInAnyOrder("not-json", "array", "no-email", "bad-email", "long-cname", "binary", "huge");
      invalid.values().forEach(r -> {
        assertThat(r.error().orElseThrow().category()).isEqualTo(ErrorCategory.INVALID_EVENT);
        assertThat(r.attempts()).isZero();
        assertThat(r.httpStatus()).isNull();
        assertThat(r.error().orElseThrow().retryable()).isFalse();
      });
      assertThat(invalid.get("not-json").error().orElseThrow().message()).contains("not valid JSON");
      assertThat(invalid.get("not-json").rawValue()).isEqualTo("this is not json");
      assertThat(invalid.get("array").error().orElseThrow().message()).contains("not a JSON object");
      assertThat(invalid.get("no-email").error().orElseThrow().message()).contains("email is missing");
      assertThat(invalid.get("bad-email").error().orElseThrow().message()).contains("plausible");
      assertThat(invalid.get("long-cname").error().orElseThrow().message()).contains("cname");
      assertThat(invalid.get("binary").rawEncoding()).isEqualTo("base64");
      assertThat(Base64.getDecoder().decode(invalid.get("binary").rawValue())).isEqualTo(binary);
      assertThat(invalid.get("huge").error().orElseThrow().message()).contains("larger than 65536");
      assertThat(invalid.get("huge").rawValue()).hasSize(65536);
      // The event id of last resort: the record's coordinates.
      assertThat(invalid.get("array").eventId()).isEqualTo(h.input + "-0-2");

      assertThat(h.sim.totalCalls()).isEqualTo(2);
    }
  }

  private static void send(WorkerHarness h, String key, String value) {
    h.send(key, value);
  }

}
