package dev.pew.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger follower against Kafka's {@link MockConsumer}: a restore completes only after every
 * entry in the topic when it was asked for is in the tables, entries written later arrive in the same
 * tables, a
 * failed read goes on from where it stopped, entries older than the keep window are left out, and
 * closing fails whoever still waits.
 */
class LedgerFollowerTest {

  private static final String TOPIC = "ledger";
  private static final long NOW = 1_800_000_000_000L;
  private static final long KEEP = 3_600_000L;
  private static final TopicPartition L0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition L1 = new TopicPartition(TOPIC, 1);

  /** The records the follower skipped, in order. */
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final List<LedgerFollower> followers = new ArrayList<>();

  @AfterEach
  void close() {
    followers.forEach(LedgerFollower::close);
  }

  /** A mock ledger topic of two partitions; it finds every timestamp at the partition's beginning. */
  static final class MockLedger extends MockConsumer<byte[], byte[]> {
    MockLedger() {
      super("earliest");
      updateBeginningOffsets(Map.of(L0, 0L, L1, 0L));
      updateEndOffsets(Map.of(L0, 0L, L1, 0L));
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> times,
        java.time.Duration timeout) {
      Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
      times.keySet().forEach(tp -> found.put(tp, new OffsetAndTimestamp(0, NOW - KEEP)));
      return found;
    }

    /** Appends an entry of {@code eventId} at the partition's end (on the consumer's thread, as a poll task). */
    void write(TopicPartition tp, long offset, String eventId, long sentAt) {
      addRecord(new ConsumerRecord<>(TOPIC, tp.partition(), offset, eventId.getBytes(StandardCharsets.UTF_8),
          new LedgerRecord(tp.partition(), 100 + offset, sentAt, 1, 200).encode()));
    }
  }

  private LedgerFollower follower(Supplier<Consumer<byte[], byte[]>> consumers) {
    LedgerMetrics metrics = new LedgerMetrics() {
      @Override
      public void ledgerRestored(long nanos, long entries) {}

      @Override
      public void ledgerRecorded(long nanos) {}

      @Override
      public void ledgerRecordSkipped(String reason) {
        seen.add("skipped " + reason);
      }
    };
    LedgerFollower f = new LedgerFollower(TOPIC, () -> 2, consumers, KEEP, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
        Runnable::run, metrics);
    followers.add(f);
    return f;
  }

  /** The restore of both input partitions, awaited: their tables. */
  private static Map<Integer, SendTable> restored(LedgerFollower f) throws Exception {
    return f.restore(List.of(new TopicPartition("in", 0), new TopicPartition("in", 1)), 0).get(10, TimeUnit.SECONDS);
  }

  /** Which sends of these event ids the tables hold, as "input P offset O". */
  private static List<String> sends(Map<Integer, SendTable> tables, String... eventIds) {
    List<String> out = new ArrayList<>();
    tables.forEach((partition, table) -> {
      for (String id : eventIds) {
        int slot = table.find(Fingerprint.of(id.getBytes(StandardCharsets.UTF_8)), NOW - KEEP);
        if (slot >= 0) {
          out.add("input " + partition + " offset " + table.offsetAt(slot));
        }
      }
    });
    return out;
  }

  @Test
  void aRestoreCompletesOnlyOnceEveryEntryInTheTopicIsInTheTables() throws Exception {
    MockLedger ledger = new MockLedger();
    ledger.updateEndOffsets(Map.of(L0, 2L, L1, 1L));
    ledger.schedulePollTask(() -> {
      ledger.write(L0, 0, "a", NOW - 1000);
      ledger.write(L0, 1, "b", NOW - 1000);
      ledger.write(L1, 0, "c", NOW - 1000);
    });
    LedgerFollower f = follower(() -> ledger);
    Map<Integer, SendTable> tables = restored(f); // read at once, as the restore completed
    assertThat(sends(tables, "a", "b", "c")).containsExactlyInAnyOrder("input 0 offset 100", "input 0 offset 101",
        "input 1 offset 100");
    assertThat(f.partitions()).isEqualTo(2);
  }

  @Test
  void entriesWrittenAfterTheStartArriveInTheSameTablesAndALaterRestoreWaitsForThem() throws Exception {
    MockLedger ledger = new MockLedger();
    LedgerFollower f = follower(() -> ledger);
    Map<Integer, SendTable> first = restored(f);
    assertThat(sends(first, "late")).isEmpty();
    ledger.updateEndOffsets(Map.of(L0, 0L, L1, 1L));
    ledger.schedulePollTask(() -> ledger.write(L1, 0, "late", NOW - 10));
    Map<Integer, SendTable> again = restored(f);
    assertThat(sends(again, "late")).containsExactly("input 1 offset 100");
    assertThat(again).as("a second restore replaces nothing: the same tables").isEqualTo(first);
    assertThat(again.get(1)).isSameAs(first.get(1));
  }

  @Test
  void aFailedReadGoesOnFromWhereItStoppedAndItsWaitersStillComplete() throws Exception {
    MockLedger first = new MockLedger();
    first.updateEndOffsets(Map.of(L0, 2L, L1, 0L));
    first.schedulePollTask(() -> first.write(L0, 0, "a", NOW - 1000));
    first.schedulePollTask(() -> first.setPollException(new KafkaException("broker went away")));
    MockLedger second = new MockLedger();
    second.updateEndOffsets(Map.of(L0, 2L, L1, 0L));
    second.schedulePollTask(() -> second.write(L0, 1, "b", NOW - 1000));
    AtomicInteger made = new AtomicInteger();
    LedgerFollower f = follower(() -> made.getAndIncrement() == 0 ? first : second);
    Map<Integer, SendTable> tables = restored(f);
    assertThat(made).hasValue(2);
    assertThat(second.position(L0)).isEqualTo(2);
    assertThat(sends(tables, "a", "b")).containsExactly("input 0 offset 100", "input 0 offset 101");
  }

  @Test
  void entriesOlderThanTheKeepWindowAndForeignRecordsAreLeftOut() throws Exception {
    MockLedger ledger = new MockLedger();
    ledger.updateEndOffsets(Map.of(L0, 3L, L1, 0L));
    ledger.schedulePollTask(() -> {
      ledger.write(L0, 0, "old", NOW - KEEP - 1000);
      ledger.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "x".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)));
      ledger.write(L0, 2, "new", NOW - 1000);
    });
    Map<Integer, SendTable> tables = restored(follower(() -> ledger));
    assertThat(seen).containsExactly("skipped foreign");
    assertThat(sends(tables, "old", "new")).containsExactly("input 0 offset 102");
  }

  @Test
  void closingFailsWhoeverStillWaits() {
    MockLedger ledger = new MockLedger();
    ledger.updateEndOffsets(Map.of(L0, 5L, L1, 0L)); // never reached: nothing is written
    LedgerFollower f = follower(() -> ledger);
    CompletableFuture<Map<Integer, SendTable>> waiting = f.restore(List.of(new TopicPartition("in", 0)), 0);
    f.close();
    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("closed");
    assertThat(f.restore(List.of(new TopicPartition("in", 0)), 0)).isCompletedExceptionally();
  }
}
