package dev.pew.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.event.InboundRecord;
import dev.pew.event.OnboardingEvent;
import dev.pew.event.ParsedEvent;
import dev.pew.intake.WorkItem;
import dev.pew.results.Publisher;
import dev.pew.testing.ManualClock;
import dev.pew.testing.TestLease;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The ledger's window and restore hand-off, with an injected clock and no Kafka. */
class LedgerTest {

  private static final long DAY = 86_400_000L;
  private static final TopicPartition P0 = new TopicPartition("in", 0);
  private static final LedgerMetrics NO_METRICS = new LedgerMetrics() {
    @Override
    public void ledgerRestored(long nanos, long entries) {}

    @Override
    public void ledgerRecorded(long nanos) {}

    @Override
    public void ledgerRecordSkipped(String reason) {}
  };

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final List<ProducerRecord<byte[], byte[]>> written = new ArrayList<>();
  private final List<Promise<Void>> acks = new ArrayList<>();
  private final Publisher publisher = new Publisher() {
    @Override
    public Future<Void> send(ProducerRecord<byte[], byte[]> record) {
      written.add(record);
      Promise<Void> ack = Promise.promise();
      acks.add(ack);
      return ack.future();
    }

    @Override
    public boolean failing() {
      return false;
    }
  };

  /** Restores whatever the test put in {@code stored}, for the partitions asked. */
  private final Map<Integer, SendTable> stored = new HashMap<>();
  private final Restorer restorer = new Restorer() {
    @Override
    public CompletableFuture<Map<Integer, SendTable>> restore(Collection<TopicPartition> inputs, long oldestMillis) {
      Map<Integer, SendTable> out = new HashMap<>();
      inputs.forEach(tp -> out.put(tp.partition(), stored.getOrDefault(tp.partition(), new SendTable(16))));
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public int partitions() {
      return 3;
    }
  };

  private static WorkItem item(String eventId, int partition, long offset) {
    InboundRecord r = new InboundRecord("in", partition, offset, null, new byte[0], new RecordHeaders(), 0);
    return new WorkItem(r, new ParsedEvent.Valid(new OnboardingEvent(eventId, "a@x.io", null)), TestLease.permanent(),
        Instant.now());
  }

  private Ledger restored(long windowMs, TopicPartition... partitions) {
    Ledger l = new Ledger(LedgerOptions.of("ledger", windowMs), publisher, restorer, NO_METRICS, clock);
    assertThat(l.gained(List.of(partitions)).toCompletableFuture()).isCompleted();
    return l;
  }

  @Test
  void aSendIsWrittenToItsLedgerPartitionAndKeptOnlyOnceKafkaAcknowledgedIt() {
    Ledger l = restored(DAY, new TopicPartition("in", 4));
    WorkItem first = item("e-1", 4, 10);

    l.recorded(first, 2, 200);

    assertThat(written).singleElement().satisfies(r -> {
      assertThat(r.topic()).isEqualTo("ledger");
      assertThat(r.partition()).isEqualTo(4 % 3);
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("e-1");
      assertThat(LedgerRecord.decode(r.value())).isEqualTo(new LedgerRecord(4, 10, clock.millis(), 2, 200));
    });
    assertThat(l.lookup(item("e-1", 4, 11))).isEmpty();
    acks.get(0).complete();
    assertThat(l.lookup(item("e-1", 4, 11))).hasValueSatisfying(s -> {
      assertThat(s.offset()).isEqualTo(10);
      assertThat(s.attempts()).isEqualTo(2);
      assertThat(s.inWindow()).isTrue();
    });
    assertThat(l.entries()).isEqualTo(1);
  }

  @Test
  void aRedeliveryIsInTheWindowUntilTheWindowHasPassed() {
    Ledger l = restored(Duration.ofHours(1).toMillis(), P0);
    l.recorded(item("e-1", 0, 5), 1, 200);
    acks.get(0).complete();

    clock.advance(Duration.ofMinutes(59));
    assertThat(l.lookup(item("e-1", 0, 9)).orElseThrow().inWindow()).isTrue();
    clock.advance(Duration.ofMinutes(2));
    assertThat(l.lookup(item("e-1", 0, 9))).as("kept, but out of the window").isEmpty();
  }

  @Test
  void withTheWindowOffASendIsStillKeptForACrashedOwnersTailButNoRedeliveryIsInIt() {
    Ledger l = restored(0, P0);
    l.recorded(item("e-1", 0, 5), 1, 200);
    acks.get(0).complete();

    assertThat(l.lookup(item("e-1", 0, 5)).orElseThrow().inWindow()).isFalse();
    clock.advance(Duration.ofMillis(LedgerOptions.MIN_KEEP_MS + 1000));
    assertThat(l.lookup(item("e-1", 0, 5))).isEmpty();
  }

  @Test
  void restoredSendsAreFoundAndALostPartitionsSendsAreDropped() {
    SendTable table = new SendTable(16);
    table.put(Fingerprint.of("old-1".getBytes(StandardCharsets.UTF_8)), 3, 1, 200, clock.millis() - 1000, 0);
    stored.put(0, table);
    Ledger l = restored(DAY, P0);

    assertThat(l.lookup(item("old-1", 0, 3)).orElseThrow().offset()).isEqualTo(3);
    assertThat(l.lookup(item("old-1", 1, 3))).as("another partition's table").isEmpty();
    l.lost(List.of(P0));
    assertThat(l.lookup(item("old-1", 0, 3))).isEmpty();
    assertThat(l.entries()).isZero();
  }

  @Test
  void reportsRestoringPartitionsUntilTheRestoreIsDone() {
    CompletableFuture<Map<Integer, SendTable>> slow = new CompletableFuture<>();
    Restorer pending = new Restorer() {
      @Override
      public CompletableFuture<Map<Integer, SendTable>> restore(Collection<TopicPartition> inputs, long oldestMillis) {
        return slow;
      }

      @Override
      public int partitions() {
        return 1;
      }
    };
    Ledger l = new Ledger(LedgerOptions.of("ledger", DAY), publisher, pending, NO_METRICS, clock);

    CompletableFuture<Void> ready = l.gained(List.of(P0)).toCompletableFuture();
    assertThat(ready).isNotDone();
    assertThat(l.restoring()).isEqualTo(1);
    slow.complete(Map.of(0, new SendTable(16)));
    assertThat(ready).isCompleted();
    assertThat(l.restoring()).isZero();
  }

  @Test
  void aFollowingLedgerAnswersWhatAnotherInstanceSentAndAReReadReplacesNothing() throws Exception {
    LedgerFollowerTest.MockLedger topic = new LedgerFollowerTest.MockLedger();
    TopicPartition ledger0 = new TopicPartition("ledger", 0);
    topic.updateEndOffsets(Map.of(ledger0, 1L));
    topic.schedulePollTask(() -> topic.write(ledger0, 0, "e-9", clock.millis() - 1000)); // input 0, offset 100
    LedgerFollower follower = new LedgerFollower("ledger", () -> 2, () -> topic, DAY, clock, Runnable::run, NO_METRICS);
    try {
      Ledger l = new Ledger(LedgerOptions.of("ledger", DAY), publisher, follower, NO_METRICS, clock);
      l.gained(List.of(P0)).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(l.lookup(item("e-9", 0, 500))).hasValueSatisfying(s -> {
        assertThat(s.offset()).isEqualTo(100);
        assertThat(s.inWindow()).isTrue();
      });
      l.recorded(item("e-10", 0, 7), 1, 200);
      acks.get(0).complete();
      assertThat(written).singleElement().satisfies(r -> assertThat(r.partition()).isEqualTo(0));
      assertThat(l.lookup(item("e-10", 0, 8))).isPresent();

      // The re-read a redelivered record waits for (share mode gains again, it never loses a partition):
      // the follower hands over the same table, so the own send not yet read back from the topic stays.
      l.gained(List.of(P0)).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(l.lookup(item("e-9", 0, 501))).as("its records may still come to this instance").isPresent();
      assertThat(l.lookup(item("e-10", 0, 9))).as("a re-read replaces nothing").isPresent();
    } finally {
      follower.close();
    }
  }
}
