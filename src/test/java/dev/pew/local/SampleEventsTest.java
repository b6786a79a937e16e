package dev.pew.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class SampleEventsTest {

  @Test
  void mixesAboutTwoPercentPurposefulFailuresIntoThreeThousand() {
    SampleEvents batch = SampleEvents.generate("in", 3000, 1);
    assertThat(batch.records()).hasSize(3000 + batch.redelivered().size());
    assertThat(batch.count(SampleKind.NOT_FOUND) + batch.count(SampleKind.CONFLICT) + batch.count(SampleKind.REJECTED))
        .isEqualTo(60);
    assertThat(batch.count(SampleKind.RETRY_503)).isEqualTo(9);
    assertThat(batch.count(SampleKind.RETRY_429)).isEqualTo(3);
    assertThat(batch.count(SampleKind.TOMBSTONE)).isEqualTo(2);
    assertThat(batch.expectedOutcomes()).hasSize(2998);
    Map<String, Long> outcomes = batch.expectedOutcomes().values().stream()
        .collect(Collectors.groupingBy(o -> o, Collectors.counting()));
    assertThat(outcomes).containsEntry("INVALID_EVENT", 6L).containsEntry("NOT_FOUND", 30L)
        .containsEntry("CONFLICT", 15L).containsEntry("REJECTED", 15L).containsEntry("SENT", 2932L);
    // 2920 valid + 9 * 3 + 3 * 2 + 60 purposeful failures, none for invalid records or tombstones
    assertThat(batch.expectedCalls()).isEqualTo(2920 + 27 + 6 + 60);
  }

  @Test
  void keysEveryRecordByItsEmailAndGivesItAUniqueEventIdHeader() {
    SampleEvents batch = SampleEvents.generate("in", 200, 3);
    Set<String> ids = new HashSet<>();
    int tombstones = 0;
    for (ProducerRecord<byte[], byte[]> r : batch.records()) {
      String id = new String(r.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8);
      assertThat(ids.add(id) || batch.redelivered().contains(id)).as("unique " + id).isTrue();
      String key = new String(r.key(), StandardCharsets.UTF_8);
      assertThat(key).contains("@example.");
      if (r.value() == null) {
        tombstones++;
        assertThat(batch.expectedOutcomes()).doesNotContainKey(id);
      } else if ("SENT".equals(batch.expectedOutcomes().get(id))) {
        JsonObject json = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
        assertThat(json.getString("eventId")).isEqualTo(id);
        assertThat(json.getString("email")).isEqualTo(key);
      }
    }
    assertThat(tombstones).isEqualTo(2);
  }

  @Test
  void deliversOneValidRecordInAHundredAgainIdenticallyAtTheEnd() {
    SampleEvents batch = SampleEvents.generate("in", 3000, 5);
    assertThat(batch.redelivered()).hasSize(30);
    java.util.List<ProducerRecord<byte[], byte[]>> copies = batch.records().subList(3000, batch.records().size());
    assertThat(copies).hasSize(30);
    for (ProducerRecord<byte[], byte[]> copy : copies) {
      String id = new String(copy.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8);
      assertThat(batch.redelivered()).contains(id);
      assertThat(batch.expectedOutcomes()).containsEntry(id, "SENT");
      ProducerRecord<byte[], byte[]> original = batch.records().subList(0, 3000).stream()
          .filter(r -> id.equals(new String(r.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8)))
          .findFirst().orElseThrow();
      assertThat(copy.key()).isEqualTo(original.key());
      assertThat(copy.value()).isEqualTo(original.value());
    }
  }

  @Test
  void repeatsTheSameBatchForTheSameSeed() {
    SampleEvents a = SampleEvents.generate("in", 100, 42);
    SampleEvents b = SampleEvents.generate("in", 100, 42);
    assertThat(a.expectedOutcomes()).isEqualTo(b.expectedOutcomes());
    for (int i = 0; i < 100; i++) {
      assertThat(a.records().get(i).key()).isEqualTo(b.records().get(i).key());
    }
  }
}
