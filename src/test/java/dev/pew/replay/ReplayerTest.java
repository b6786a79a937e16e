package dev.pew.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * What a replay publishes, on Kafka's mock clients: key, value and original headers, the dead-letter
 * headers replaced by {@code replayed-from}; the filters, the limit and the dry run; nothing past
 * the end offsets taken at start.
 */
class ReplayerTest {

  private static final String DLQ = "dlq";
  private static final TopicPartition P0 = new TopicPartition(DLQ, 0);
  private static final TopicPartition P1 = new TopicPartition(DLQ, 1);

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();

  ReplayerTest() {
    consumer.updatePartitions(DLQ, List.of(new PartitionInfo(DLQ, 0, null, null, null), new PartitionInfo(DLQ, 1, null, null, null)));
  }

  @Test
  void republishesKeyValueAndOriginalHeadersWithReplayedFromInsteadOfTheErrorHeaders() {
    RecordHeaders headers = deadLetterHeaders("NOT_FOUND");
    headers.add("traceparent", bytes("00-abc-def-01"));
    headers.add("replayed-from", bytes("dlq-0-0")); // it failed again after an earlier replay
    letter(P0, 0, "jane@example.com", "{\"email\":\"jane@example.com\"}", headers, 1000);
    letter(P0, 1, "joe@example.com", "{\"email\":\"joe@example.com\"}", deadLetterHeaders("CONFLICT"), 1000);
    letter(P1, 0, null, "not json", deadLetterHeaders("INVALID_EVENT"), 1000);

    Replayer.Counts c = run("--from", DLQ);

    assertThat(c.read).isEqualTo(3);
    assertThat(c.matched).isEqualTo(3);
    assertThat(c.published.get()).isEqualTo(3);
    assertThat(producer.history()).hasSize(3).allSatisfy(r -> assertThat(r.topic()).isEqualTo("in"));
    ProducerRecord<byte[], byte[]> jane = producer.history().stream()
        .filter(r -> r.key() != null && text(r.key()).equals("jane@example.com")).findFirst().orElseThrow();
    assertThat(text(jane.value())).isEqualTo("{\"email\":\"jane@example.com\"}");
    assertThat(jane.partition()).as("the key picks the partition").isNull();
    assertThat(jane.timestamp()).as("a new delivery, written now").isNull();
    assertThat(names(jane)).containsExactly("event-id", "traceparent", "replayed-from");
    assertThat(header(jane, "replayed-from")).hasValue("dlq-0-0");
    assertThat(header(jane, "traceparent")).hasValue("00-abc-def-01");
    assertThat(header(jane, "event-id")).hasValue("e-1");
    ProducerRecord<byte[], byte[]> invalid = producer.history().stream().filter(r -> r.key() == null).findFirst().orElseThrow();
    assertThat(header(invalid, "replayed-from")).hasValue("dlq-1-0");
  }

  @Test
  void filtersByCategoryAndTimeAndLeavesRecordsThatAreNoDeadLetters() {
    letter(P0, 0, "a", "{}", deadLetterHeaders("NOT_FOUND"), 1000);
    letter(P0, 1, "b", "{}", deadLetterHeaders("CONFLICT"), 1000);
    letter(P0, 2, "c", "{}", deadLetterHeaders("NOT_FOUND"), 5000);
    letter(P0, 3, "d", "{}", new RecordHeaders(), 1000);
    letter(P1, 0, "e", "{}", deadLetterHeaders("RETRIES_EXHAUSTED"), 1000);

    Replayer.Counts c = run("--from", DLQ, "--category", "NOT_FOUND", "--category", "RETRIES_EXHAUSTED",
        "--until", "1970-01-01T00:00:02Z");

    assertThat(c.read).isEqualTo(5);
    assertThat(c.matched).isEqualTo(2);
    assertThat(c.skippedCategory).isEqualTo(1);
    assertThat(c.skippedTime).isEqualTo(1);
    assertThat(c.notDeadLetters).isEqualTo(1);
    assertThat(producer.history()).extracting(r -> text(r.key())).containsExactlyInAnyOrder("a", "e");
  }

  @Test
  void stopsAfterTheLimit() {
    for (int i = 0; i < 10; i++) {
      letter(P0, i, "k" + i, "{}", deadLetterHeaders("NOT_FOUND"), 1000);
    }

    Replayer.Counts c = run("--from", DLQ, "--limit", "4");

    assertThat(c.limitReached).isTrue();
    assertThat(c.published.get()).isEqualTo(4);
    assertThat(producer.history()).extracting(r -> text(r.key())).containsExactly("k0", "k1", "k2", "k3");
  }

  @Test
  void aDryRunPublishesNothingAndPrintsWhatItWouldWithTheAddressMasked() {
    letter(P0, 0, "jane@example.com", "{\"email\":\"jane@example.com\"}", deadLetterHeaders("NOT_FOUND"), 1000);
    letter(P1, 0, "plain-key", "{}", deadLetterHeaders("CONFLICT"), 2000);

    Replayer.Counts c = run("--from", DLQ, "--dry-run");

    assertThat(producer.history()).isEmpty();
    assertThat(c.queued).isEqualTo(2);
    assertThat(c.published.get()).isZero();
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(out.lines()).containsExactlyInAnyOrder(
        "would publish dlq-0-0 (NOT_FOUND, written 1970-01-01T00:00:01Z, key j***@example.com, 28 bytes) to in",
        "would publish dlq-1-0 (CONFLICT, written 1970-01-01T00:00:02Z, key plain-key, 2 bytes) to in");
    assertThat(out).doesNotContain("jane@");
  }

  @Test
  void readsNothingPastTheEndOffsetsTakenAtStart() {
    letter(P0, 0, "before", "{}", deadLetterHeaders("NOT_FOUND"), 1000);
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, 1L, P1, 0L));
    consumer.schedulePollTask(() -> {
      letters.forEach(consumer::addRecord);
      consumer.addRecord(new ConsumerRecord<>(DLQ, 0, 1, 1000, TimestampType.CREATE_TIME, -1, -1, bytes("after"), bytes("{}"),
          deadLetterHeaders("NOT_FOUND"), Optional.empty()));
    });

    Replayer.Counts c = new Replayer(consumer, producer, ReplayArgs.parse(List.of("--from", DLQ)), "in",
        new PrintStream(printed, true, StandardCharsets.UTF_8), quiet()).run();

    assertThat(c.read).isEqualTo(1);
    assertThat(producer.history()).extracting(r -> text(r.key())).containsExactly("before");
  }

  @Test
  void aTopicThatDoesNotExistIsABadFromArgument() {
    Replayer r = new Replayer(consumer, producer, ReplayArgs.parse(List.of("--from", "nope")), "in",
        new PrintStream(printed, true, StandardCharsets.UTF_8), quiet());

    assertThatThrownBy(r::run).isInstanceOf(ReplayArgs.BadArgument.class).hasMessage("--from: topic nope does not exist");
  }

  @Test
  void theProgressLineFillsItsBarOnATerminalAndIsPlainOtherwise() {
    Replayer.Counts c = new Replayer.Counts();
    c.read = 40;
    c.matched = 12;
    c.published.set(10);
    assertThat(new ProgressBar(System.err, true, () -> 0).line(c, 100))
        .isEqualTo("[##########--------------]  40%  read 40/100  matched 12  published 10");
    assertThat(new ProgressBar(System.err, false, () -> 0).line(c, 100)).isEqualTo(" 40%  read 40/100  matched 12  published 10");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressBar plain = new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8), false, () -> 0);
    plain.update(c, 100); // less than 5 s after the start: nothing yet
    plain.done(c, 100);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("replay:  40%  read 40/100  matched 12  published 10"
        + System.lineSeparator());
  }

  private Replayer.Counts run(String... args) {
    Map<TopicPartition, Long> end = new java.util.HashMap<>(Map.of(P0, 0L, P1, 0L));
    letters.forEach(r -> end.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(end);
    consumer.schedulePollTask(() -> letters.forEach(consumer::addRecord));
    return new Replayer(consumer, producer, ReplayArgs.parse(List.of(args)), "in",
        new PrintStream(printed, true, StandardCharsets.UTF_8), quiet()).run();
  }

  private void letter(TopicPartition tp, long offset, String key, String value, RecordHeaders headers, long timestamp) {
    letters.add(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, timestamp, TimestampType.CREATE_TIME, -1, -1,
        key == null ? null : bytes(key), bytes(value), headers, Optional.empty()));
  }

  private static RecordHeaders deadLetterHeaders(String category) {
    RecordHeaders h = new RecordHeaders();
    h.add("event-id", bytes("e-1"));
    h.add("error-category", bytes(category));
    h.add("error-message", bytes("404 from the API"));
    h.add("source-topic", bytes("in"));
    h.add("source-partition", bytes("0"));
    h.add("source-offset", bytes("17"));
    return h;
  }

  private static Replayer.Progress quiet() {
    return new Replayer.Progress() {
      @Override
      public void update(Replayer.Counts counts, long total) {}

      @Override
      public void done(Replayer.Counts counts, long total) {}
    };
  }

  private static List<String> names(ProducerRecord<byte[], byte[]> r) {
    return StreamSupport.stream(r.headers().spliterator(), false).map(Header::key).toList();
  }

  private static Optional<String> header(ProducerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? Optional.empty() : Optional.of(text(h.value()));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
