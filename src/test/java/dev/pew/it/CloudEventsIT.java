package dev.pew.it;

import dev.pew.event.ResultEvents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pew.event.ErrorCategory;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CloudEvents 1.0 inputs end to end: structured mode (the envelope as value, marked by
 * {@code content-type: application/cloudevents+json}) and binary mode ({@code ce_*} headers, the plain
 * object as value) are sent like plain events; results keep the plain contract schema, take the
 * CloudEvents id as {@code eventId} and carry the {@code ce_*} attributes forward as headers; an
 * invalid CloudEvent fails as {@code INVALID_EVENT} without a call.
 */
@ExtendWith(VertxExtension.class)
class CloudEventsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STRUCTURED = "application/cloudevents+json; charset=UTF-8";
  private static final String TYPE = "com.example.customer.onboarded";
  /** The fields of a result value (contract: "Result record"); invalid events add rawValue. */
  private static final Set<String> RESULT_FIELDS = Set.of("eventId", "status", "cname", "email", "attempts",
      "httpStatus", "error", "source", "receivedAt", "completedAt", "durationMs");

  @Test
  void sendsStructuredAndBinaryCloudEventsAndFailsAnInvalidOneWithoutACall(Vertx vertx) throws Exception {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      records.add(record(h, "struct@example.com",
          "{\"specversion\":\"1.0\",\"id\":\"ce-structured-1\",\"source\":\"/signup/web\",\"type\":\"" + TYPE + "\","
              + "\"datacontenttype\":\"application/json\",\"data\":{\"email\":\"struct@example.com\",\"cname\":\"acme\"}}",
          "content-type", STRUCTURED, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
      records.add(record(h, "binary@example.com", "{\"email\":\"binary@example.com\",\"cname\":\"acme\"}",
          "ce_specversion", "1.0", "ce_id", "ce-binary-1", "ce_source", "/signup/batch", "ce_type", TYPE,
          "content-type", "application/json"));
      records.add(record(h, "noid@example.com",
          "{\"specversion\":\"1.0\",\"source\":\"/signup/web\",\"type\":\"" + TYPE + "\","
              + "\"data\":{\"email\":\"noid@example.com\",\"cname\":\"acme\"}}",
          "content-type", STRUCTURED));
      h.kafka.sendAll(records);
      h.deploy(h.config().build());
      h.awaitResults(3, Duration.ofSeconds(30));
      h.awaitAllCommitted(Duration.ofSeconds(15));

      Map<String, ConsumerRecord<byte[], byte[]>> sent = byEventId(h.records(h.sent));
      Map<String, ConsumerRecord<byte[], byte[]>> failed = byEventId(h.records(h.failed));
      assertThat(sent).containsOnlyKeys("ce-structured-1", "ce-binary-1");
      assertThat(failed).hasSize(1);

      ConsumerRecord<byte[], byte[]> structured = sent.get("ce-structured-1");
      assertPlainResult(structured, Status.SENT);
      assertThat(ResultEvents.fromJson(structured.value()).email()).isEqualTo("struct@example.com");
      assertThat(ResultEvents.fromJson(structured.value()).cname()).isEqualTo("acme");
      assertThat(headers(structured)).containsEntry("event-id", "ce-structured-1")
          .containsEntry("ce_id", "ce-structured-1")
          .containsEntry("ce_source", "/signup/web")
          .containsEntry("ce_type", TYPE)
          .containsEntry("ce_specversion", "1.0")
          .containsEntry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
          // The value is plain JSON now; the structured content type would make consumers misread it.
          .containsEntry("content-type", "application/json");

      ConsumerRecord<byte[], byte[]> binary = sent.get("ce-binary-1");
      assertPlainResult(binary, Status.SENT);
      assertThat(ResultEvents.fromJson(binary.value()).email()).isEqualTo("binary@example.com");
      assertThat(headers(binary)).containsEntry("event-id", "ce-binary-1")
          .containsEntry("ce_id", "ce-binary-1")
          .containsEntry("ce_source", "/signup/batch")
          .containsEntry("ce_type", TYPE)
          .containsEntry("ce_specversion", "1.0");

      ConsumerRecord<byte[], byte[]> invalid = failed.values().iterator().next();
      ResultEvent bad = ResultEvents.fromJson(invalid.value());
      assertThat(bad.status()).isEqualTo(Status.FAILED);
      assertThat(bad.error().orElseThrow().category()).isEqualTo(ErrorCategory.INVALID_EVENT);
      assertThat(bad.error().orElseThrow().message()).contains("id");
      assertThat(bad.attempts()).isZero();
      assertThat(bad.httpStatus()).isNull();
      assertThat(bad.eventId()).as("no CloudEvents id: the coordinates").isEqualTo(h.input + "-0-2");
      assertThat(bad.rawValue()).isEqualTo(KafkaTestClient.text(records.get(2).value()));
      assertThat(fieldsOf(invalid)).isEqualTo(with(RESULT_FIELDS, "rawValue"));
      assertThat(headers(invalid)).doesNotContainKey("ce_id");

      assertThat(h.sim.callsFor("noid@example.com")).isZero();
      assertThat(h.sim.callsFor("struct@example.com")).isEqualTo(1);
      assertThat(h.sim.callsFor("binary@example.com")).isEqualTo(1);
      assertThat(h.sim.calls()).filteredOn(c -> c.email().equals("struct@example.com"))
          .singleElement().satisfies(c -> assertThat(c.cname()).isEqualTo("acme"));
    }
  }

  /**
   * The result of an invalid structured CloudEvent is plain JSON like every other result, so it must
   * not keep the input's {@code content-type: application/cloudevents+json} (valid ones get
   * {@code application/json}).
   */
  @Test
  void anInvalidStructuredCloudEventsResultDoesNotClaimToBeACloudEvent(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      h.kafka.send(record(h, "noid@example.com",
          "{\"specversion\":\"1.0\",\"source\":\"/signup/web\",\"type\":\"" + TYPE + "\","
              + "\"data\":{\"email\":\"noid@example.com\"}}",
          "content-type", STRUCTURED));
      h.deploy(h.config().build());
      h.awaitResults(1, Duration.ofSeconds(30));
      ConsumerRecord<byte[], byte[]> result = h.records(h.failed).get(0);
      assertThat(headers(result).get("content-type")).as("result content-type")
          .isNotEqualTo(STRUCTURED).doesNotStartWith("application/cloudevents");
    }
  }

  /**
   * Kafka header names are case-sensitive and producers spell this one both ways; the parser accepts
   * {@code Content-Type} as well, so the result must not keep the structured type under that spelling.
   */
  @Test
  void aStructuredCloudEventsResultCarriesNoStructuredContentTypeWhateverItsSpelling(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      h.kafka.send(record(h, "capital@example.com",
          "{\"specversion\":\"1.0\",\"id\":\"ce-capital-1\",\"source\":\"/signup/web\",\"type\":\"" + TYPE + "\","
              + "\"data\":{\"email\":\"capital@example.com\"}}",
          "Content-Type", STRUCTURED));
      h.deploy(h.config().build());
      h.awaitResults(1, Duration.ofSeconds(30));
      ConsumerRecord<byte[], byte[]> result = h.records(h.sent).get(0);
      assertThat(ResultEvents.fromJson(result.value()).eventId()).isEqualTo("ce-capital-1");
      List<String> contentTypes = new ArrayList<>();
      result.headers().forEach(hd -> {
        if (hd.key().equalsIgnoreCase("content-type")) {
          contentTypes.add(hd.key() + ": " + KafkaTestClient.text(hd.value()));
        }
      });
      assertThat(contentTypes).as("content-type headers of the result").noneMatch(t -> t.contains("cloudevents"));
    }
  }

  private static void assertPlainResult(ConsumerRecord<byte[], byte[]> r, Status status) throws Exception {
    ResultEvent e = ResultEvents.fromJson(r.value());
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(fieldsOf(r)).as("the contract's plain result schema, no CloudEvents envelope").isEqualTo(RESULT_FIELDS);
  }

  private static Set<String> fieldsOf(ConsumerRecord<byte[], byte[]> r) throws Exception {
    JsonNode node = JSON.readTree(r.value());
    Set<String> fields = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      fields.add(it.next());
    }
    return fields;
  }

  private static Set<String> with(Set<String> base, String extra) {
    Set<String> out = new TreeSet<>(base);
    out.add(extra);
    return out;
  }

  private static Map<String, ConsumerRecord<byte[], byte[]>> byEventId(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, ConsumerRecord<byte[], byte[]>> out = new HashMap<>();
    records.forEach(r -> out.put(ResultEvents.fromJson(r.value()).eventId(), r));
    return out;
  }

  /** The last value of each header, as text. */
  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> out = new HashMap<>();
    r.headers().forEach(hd -> out.put(hd.key(), KafkaTestClient.text(hd.value())));
    return out;
  }

  private static ProducerRecord<byte[], byte[]> record(WorkerHarness h, String key, String value, String... headers) {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(h.input, KafkaTestClient.bytes(key), KafkaTestClient.bytes(value));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      r.headers().add(headers[i], KafkaTestClient.bytes(headers[i + 1]));
    }
    return r;
  }
}
