package dev.pew.intake.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.event.EventParser;
import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.PartitionListener;
import dev.pew.intake.WorkItem;
import dev.pew.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acknowledgement bookkeeping of one share-group lane against a scripted consumer and broker
 * with Kafka 4.3's rules ({@link FakeShareConsumer}, {@link FakeShareBroker}): ACCEPT only after the
 * pipeline completed a record, RELEASE when it let one go, locks renewed before they run out (and
 * never a poll that would fetch behind the lane's back), a lost lock ending the lease, redeliveries
 * waiting for a fresh ledger read, the last delivery marked, batches bounded, and shutdown.
 */
class ShareLaneTest {

  private static final String TOPIC = "in";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final long LOCK = 30_000;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeShareBroker broker = new FakeShareBroker(clock, LOCK, 5);
  private final Listener listener = new Listener();
  private final LedgerGate gate = new LedgerGate(listener);
  private final Metrics metrics = new Metrics();
  private final List<ShareLease> done = new ArrayList<>();
  private ShareSettings settings = new ShareSettings(LOCK, 5, true, true);
  private FakeShareConsumer consumer;
  private ShareLane lane;

  /** The ledger as the gate sees it: each {@code gained} call, answered at once or when the test says. */
  static final class Listener implements PartitionListener {
    final List<Collection<TopicPartition>> calls = new ArrayList<>();
    final List<CompletableFuture<Void>> pending = new ArrayList<>();
    boolean answerAtOnce = true;

    @Override
    public CompletionStage<Void> gained(Collection<TopicPartition> partitions) {
      calls.add(List.copyOf(partitions));
      CompletableFuture<Void> f = new CompletableFuture<>();
      if (answerAtOnce) {
        f.complete(null);
      } else {
        pending.add(f);
      }
      return f;
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {}

    void answerAll() {
      pending.forEach(f -> f.complete(null));
      pending.clear();
    }
  }

  static final class Metrics implements IntakeMetrics {
    final AtomicInteger consumed = new AtomicInteger();
    final AtomicInteger tombstones = new AtomicInteger();
    final AtomicInteger renewed = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    final AtomicInteger redelivered = new AtomicInteger();
    final AtomicInteger commitsOk = new AtomicInteger();
    final AtomicInteger commitsFailed = new AtomicInteger();

    @Override
    public void consumed(int records) {
      consumed.addAndGet(records);
    }

    @Override
    public void skipped(String reason) {
      tombstones.incrementAndGet();
    }

    @Override
    public void commit(long nanos, boolean ok) {
      (ok ? commitsOk : commitsFailed).incrementAndGet();
    }

    @Override
    public void handoverDrained(int records) {}

    @Override
    public void lag(TopicPartition partition, long records) {}

    @Override
    public void lagGone(TopicPartition partition) {}

    @Override
    public void redelivered(int records) {
      redelivered.addAndGet(records);
    }

    @Override
    public void locksRenewed(int records) {
      renewed.addAndGet(records);
    }

    @Override
    public void locksLost(int records) {
      lost.addAndGet(records);
    }
  }

  @BeforeEach
  void lane() {
    newLane(4);
    gate.gain(List.of(P0));
  }

  private void newLane(int maxPoll) {
    consumer = new FakeShareConsumer(broker, "lane-0", maxPoll);
    lane = new ShareLane("lane-0", consumer, Duration.ZERO, clock, () -> settings, gate, new EventParser(), metrics, done::add);
    lane.subscribe(TOPIC);
  }

  private void produce(int n) {
    for (int i = 0; i < n; i++) {
      broker.produce(P0, "k" + i, "{\"eventId\":\"e" + i + "\",\"email\":\"u" + i + "@example.com\"}");
    }
  }

  /** One turn of the lane, the ledger gate advanced first (as the intake does). */
  private List<WorkItem> step() {
    gate.advance(clock.millis());
    return lane.step(true, false);
  }

  /** Turns until nothing changes (answers arrive at the consumer's next call). */
  private List<WorkItem> settle() {
    List<WorkItem> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.addAll(step());
    }
    return all;
  }

  private static void complete(WorkItem item) {
    ((ShareLease) item.lease()).stage = ShareLease.Stage.COMPLETED;
  }

  private static void release(WorkItem item) {
    ((ShareLease) item.lease()).stage = ShareLease.Stage.RELEASED;
  }

  private FakeShareBroker.State state(long offset) {
    return broker.slot(P0, offset).state;
  }

  @Test
  void acceptsARecordOnlyOnceThePipelineCompletedIt() {
    produce(3);
    List<WorkItem> items = settle();
    assertThat(items).hasSize(3).allSatisfy(i -> {
      assertThat(i.lease().active()).isTrue();
      assertThat(i.delivery()).isEqualTo(new WorkItem.Delivery(1, false));
    });
    assertThat(metrics.consumed.get()).isEqualTo(3);
    settle();
    assertThat(broker.states()).containsEntry(FakeShareBroker.State.ACQUIRED, 3);

    complete(items.get(1));
    settle();
    assertThat(state(1)).isEqualTo(FakeShareBroker.State.ACKNOWLEDGED);
    assertThat(state(0)).isEqualTo(FakeShareBroker.State.ACQUIRED);
    assertThat(state(2)).isEqualTo(FakeShareBroker.State.ACQUIRED);

    complete(items.get(0));
    complete(items.get(2));
    assertThat(settle()).isEmpty();
    assertThat(broker.states()).containsOnly(Map.entry(FakeShareBroker.State.ACKNOWLEDGED, 3));
    assertThat(metrics.commitsOk.get()).isPositive();
    assertThat(lane.held()).isZero();
  }

  @Test
  void acquiresNoNewRecordsUntilEveryRecordOfTheBatchIsAcknowledged() {
    produce(8);
    List<WorkItem> first = settle();
    assertThat(first).hasSize(4);
    first.subList(0, 3).forEach(ShareLaneTest::complete);
    assertThat(settle()).isEmpty();
    assertThat(broker.acquisitions).hasSize(4);
    complete(first.get(3));
    List<WorkItem> second = settle();
    assertThat(second).extracting(WorkItem::offset).containsExactly(4L, 5L, 6L, 7L);
  }

  @Test
  void acquiresNothingWhenNotAskedTo() {
    produce(2);
    gate.advance(clock.millis());
    assertThat(lane.step(false, false)).isEmpty();
    assertThat(broker.acquisitions).isEmpty();
    assertThat(lane.step(false, true)).as("a keep-alive poll takes what comes, proven by a renewal first").isEmpty();
    assertThat(broker.acquisitions).hasSize(2);
    List<WorkItem> handed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      handed.addAll(lane.step(false, false));
    }
    assertThat(handed).hasSize(2);
  }

  @Test
  void aRecordIsHandedOverOnlyOnceARenewalProvedItsLockSoOneThatOutlivedItsLockInTheBufferIsNeverCalled() {
    produce(4);
    consumer.prefetch(); // acquired behind the lane's back
    consumer.hideBuffer(1);
    assertThat(step()).as("the poll finds the buffer empty").isEmpty();
    clock.advance(Duration.ofSeconds(31)); // the locks run out in the buffer; another member takes the records
    FakeShareConsumer other = new FakeShareConsumer(broker, "lane-other", 4);
    other.subscribe(List.of(TOPIC));
    assertThat(other.poll(Duration.ZERO).count()).isEqualTo(4);
    consumer.hideBuffer(1);
    assertThat(step()).as("an empty poll again: the next one's records look freshly acquired").isEmpty();
    List<WorkItem> handed = settle();
    assertThat(handed).as("no record whose lock another member holds").isEmpty();
    assertThat(broker.renewRequests).as("the renewal that would prove the locks, refused").isPositive();
    assertThat(lane.held()).isZero();
  }

  @Test
  void releasesWhatThePipelineLetGoAndItsRedeliveryWaitsForAFreshLedgerRead() {
    produce(1);
    WorkItem item = settle().get(0);
    listener.answerAtOnce = false;
    int readsBefore = listener.calls.size();
    release(item);
    // Released, and this lane (the group's only member) acquires it again at once.
    assertThat(settle()).as("redelivered: waits for the ledger").isEmpty();
    assertThat(broker.slot(P0, 0).deliveries).isEqualTo(2);
    assertThat(metrics.redelivered.get()).isEqualTo(1);
    assertThat(listener.calls).hasSize(readsBefore + 1);
    assertThat(listener.calls.get(readsBefore)).containsExactly(P0);

    listener.answerAll();
    List<WorkItem> again = settle();
    assertThat(again).singleElement().satisfies(i -> {
      assertThat(i.offset()).isZero();
      assertThat(i.delivery()).isEqualTo(new WorkItem.Delivery(2, false));
    });
  }

  @Test
  void renewsLocksWellBeforeTheyRunOutSoARecordOutlivesItsLockWithoutRedelivery() {
    produce(2);
    List<WorkItem> items = settle();
    for (int t = 0; t < 120; t++) { // two minutes held, four lock durations
      clock.advance(Duration.ofSeconds(1));
      settle();
      assertThat(state(0)).isEqualTo(FakeShareBroker.State.ACQUIRED);
      assertThat(items).allSatisfy(i -> assertThat(i.lease().active()).isTrue());
    }
    assertThat(metrics.renewed.get()).isGreaterThanOrEqualTo(2 * 7);
    assertThat(consumer.pollsWhileRenewing).as("never a poll that fetches behind the lane's back").isZero();
    complete(items.get(0));
    complete(items.get(1));
    settle();
    assertThat(broker.states()).containsOnly(Map.entry(FakeShareBroker.State.ACKNOWLEDGED, 2));
    assertThat(broker.acquisitions).as("each record acquired once").hasSize(2);
    assertThat(metrics.lost.get()).isZero();
  }

  @Test
  void aRecordCompletedWhileItsRenewalIsOutIsAcceptedWhenItComesBack() {
    produce(1);
    WorkItem item = settle().get(0);
    clock.advance(Duration.ofMillis(LOCK / 2 + 1));
    step(); // RENEW sent
    complete(item);
    settle();
    assertThat(state(0)).isEqualTo(FakeShareBroker.State.ACKNOWLEDGED);
  }

  @Test
  void aLockThatRunsOutEndsTheLeaseAndTheRecordIsNotAcknowledged() {
    produce(1);
    WorkItem item = settle().get(0);
    clock.advance(Duration.ofMillis(LOCK + 1)); // the intake thread stalled past the lock
    broker.expire();
    step();
    assertThat(item.lease().active()).isFalse();
    assertThat(lane.takeLost()).isEqualTo(1);
    assertThat(metrics.lost.get()).isEqualTo(1);
    release(item);
    List<WorkItem> again = settle();
    assertThat(again).as("the broker let it go by itself; delivered again").singleElement()
        .satisfies(i -> assertThat(i.delivery().count()).isEqualTo(2));
    complete(again.get(0));
    settle();
    assertThat(state(0)).isEqualTo(FakeShareBroker.State.ACKNOWLEDGED);
    assertThat(lane.held()).isZero();
  }

  @Test
  void aRecordPrefetchedBehindTheLanesBackIsRenewedBeforeItIsHandedOverOrDroppedWhenItsLockIsGone() {
    produce(8);
    List<WorkItem> first = settle();
    consumer.prefetch(); // a fetch the consumer sent on its own when the first batch arrived
    clock.advance(Duration.ofSeconds(20)); // the first batch takes 20 s of a 30 s lock
    first.forEach(ShareLaneTest::complete);
    List<WorkItem> second = settle();
    assertThat(second).extracting(WorkItem::offset).containsExactly(4L, 5L, 6L, 7L);
    assertThat(broker.renewRequests).as("confirmed by a renewal first").isPositive();
    assertThat(second).allSatisfy(i -> assertThat(i.lease().active()).isTrue());

    second.forEach(ShareLaneTest::complete);
    assertThat(settle()).isEmpty(); // the lane asks, nothing there
    produce(4);
    consumer.prefetch();
    clock.advance(Duration.ofSeconds(31)); // this time the prefetched batch's locks run out in the buffer
    // The stale copies are never handed over (their renewal is refused); the broker delivers the records again.
    List<WorkItem> third = settle();
    assertThat(third).extracting(WorkItem::offset).containsExactly(8L, 9L, 10L, 11L);
    assertThat(third).allSatisfy(i -> assertThat(i.delivery().count()).isEqualTo(2));
    assertThat(metrics.lost.get()).as("no record in the pipeline lost its lock").isZero();
    assertThat(broker.acquisitions).hasSize(16);
  }

  @Test
  void theLastDeliveryTheGroupAllowsIsMarked() {
    settings = new ShareSettings(LOCK, 2, true, true);
    broker.deliveryLimit = 2;
    produce(1);
    FakeShareBroker.Slot slot = broker.slot(P0, 0);
    broker.acquire("someone-else", 1);
    broker.acknowledge("someone-else", P0, Map.of(0L, org.apache.kafka.clients.consumer.AcknowledgeType.RELEASE));
    assertThat(slot.deliveries).isEqualTo(1);
    assertThat(settle()).singleElement().satisfies(i -> assertThat(i.delivery()).isEqualTo(new WorkItem.Delivery(2, true)));
  }

  @Test
  void aTombstoneIsAcceptedWithoutBeingHandedOver() {
    broker.produce(P0, "gone", null);
    assertThat(settle()).isEmpty();
    assertThat(metrics.tombstones.get()).isEqualTo(1);
    assertThat(state(0)).isEqualTo(FakeShareBroker.State.ACKNOWLEDGED);
  }

  @Test
  void recordsOfAPartitionWaitUntilItsSendsAreRestored() {
    TopicPartition p1 = new TopicPartition(TOPIC, 1);
    listener.answerAtOnce = false;
    broker.produce(p1, "k", "{\"email\":\"x@example.com\"}");
    assertThat(settle()).isEmpty();
    assertThat(gate.waiting()).isEqualTo(1);
    assertThat(listener.calls).last().isEqualTo(List.of(p1));
    listener.answerAll();
    assertThat(settle()).singleElement().satisfies(i -> assertThat(i.partition()).isEqualTo(p1));
  }

  @Test
  void shutdownReleasesWhatWasNotHandedOverAndWhatIsUnfinishedAfterTheGracePeriod() {
    produce(4);
    List<WorkItem> items = settle();
    complete(items.get(0));
    assertThat(lane.beginShutdown()).isZero();
    assertThat(items).allSatisfy(i -> assertThat(i.lease().active()).isFalse());
    lane.step(false, false);
    complete(items.get(1));
    lane.step(false, false);
    release(items.get(2)); // queued: the pipeline let it go
    assertThat(lane.close(Duration.ofSeconds(1))).as("still called after the grace period").isEqualTo(1);
    assertThat(consumer.closed).isTrue();
    assertThat(state(0)).isEqualTo(FakeShareBroker.State.ACKNOWLEDGED);
    assertThat(state(1)).isEqualTo(FakeShareBroker.State.ACKNOWLEDGED);
    assertThat(state(2)).isEqualTo(FakeShareBroker.State.AVAILABLE);
    assertThat(state(3)).isEqualTo(FakeShareBroker.State.AVAILABLE);
    assertThat(broker.acquisitions).hasSize(4);
  }

  @Test
  void shutdownDropsRecordsThatWereWaitingForTheLedger() {
    listener.answerAtOnce = false;
    TopicPartition p1 = new TopicPartition(TOPIC, 1);
    broker.produce(p1, "k", "{\"email\":\"x@example.com\"}");
    settle();
    assertThat(lane.beginShutdown()).isEqualTo(1);
    lane.step(false, false);
    lane.step(false, false);
    assertThat(broker.slot(p1, 0).state).isEqualTo(FakeShareBroker.State.AVAILABLE);
    assertThat(lane.close(Duration.ofSeconds(1))).isZero();
  }

  @Test
  void aRecordCompletedWhileItsRenewalIsOutAtShutdownIsAcceptedBeforeTheLaneCloses() {
    produce(1);
    WorkItem item = settle().get(0);
    clock.advance(Duration.ofMillis(LOCK / 2 + 1));
    step(); // RENEW sent
    lane.beginShutdown();
    complete(item);
    assertThat(lane.inPipeline()).isZero();
    assertThat(lane.busy()).as("its renewal is out: not accepted yet").isTrue();
    for (int i = 0; i < 5 && lane.busy(); i++) {
      lane.step(false, false);
    }
    assertThat(lane.busy()).isFalse();
    lane.close(Duration.ofSeconds(1));
    assertThat(state(0)).isEqualTo(FakeShareBroker.State.ACKNOWLEDGED);
  }
}
