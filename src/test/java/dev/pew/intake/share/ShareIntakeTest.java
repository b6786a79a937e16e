package dev.pew.intake.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pew.event.EventParser;
import dev.pew.intake.Completions;
import dev.pew.intake.IntakeOptions;
import dev.pew.intake.IntakeSink;
import dev.pew.intake.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The share-group intake on its own thread, against scripted consumers, a scripted cluster and a
 * pipeline stand-in: it prepares the group (earliest, read_committed) and restores every
 * partition's sends before the first record, accepts what the pipeline completed, reports the group
 * membership, keeps acquisition within {@code maxBuffered}, and drains at shutdown.
 */
class ShareIntakeTest {

  private static final String TOPIC = "in";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
  private static final String GROUP = "g";

  private final FakeShareBroker broker = new FakeShareBroker(Clock.systemUTC(), 30_000, 5);
  private final Map<String, FakeShareConsumer> consumers = new ConcurrentHashMap<>();
  private final Admin admin = new Admin();
  private final ShareLaneTest.Listener listener = new ShareLaneTest.Listener();
  private final ShareLaneTest.Metrics metrics = new ShareLaneTest.Metrics();
  private final Completions completions = new Completions();
  private final ExecutorService eventLoop = Executors.newSingleThreadExecutor();
  private ShareIntake intake;

  /** The cluster as the intake asks it. */
  static final class Admin implements ShareGroupAdmin {
    final Map<String, String> set = new ConcurrentHashMap<>();
    volatile Map<String, Set<TopicPartition>> members = Map.of();

    @Override
    public CompletionStage<Set<TopicPartition>> partitions(String topic) {
      return CompletableFuture.completedFuture(Set.of(P0, P1));
    }

    @Override
    public CompletionStage<Map<String, GroupConfig>> configs(String group) {
      Map<String, GroupConfig> c = new HashMap<>();
      c.put(ShareSettings.LOCK_DURATION, new GroupConfig("30000", false));
      c.put(ShareSettings.DELIVERY_LIMIT, new GroupConfig("3", true));
      c.put(ShareSettings.AUTO_OFFSET_RESET, new GroupConfig(set.getOrDefault(ShareSettings.AUTO_OFFSET_RESET, "latest"),
          set.containsKey(ShareSettings.AUTO_OFFSET_RESET)));
      return CompletableFuture.completedFuture(c);
    }

    @Override
    public CompletionStage<Void> setConfigs(String group, Map<String, String> configs) {
      set.putAll(configs);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Map<String, Set<TopicPartition>>> members(String group) {
      return CompletableFuture.completedFuture(members);
    }

    @Override
    public CompletionStage<Map<TopicPartition, Long>> lag(String group) {
      return CompletableFuture.completedFuture(Map.of(P0, 0L, P1, 0L));
    }
  }

  /**
   * The pipeline as the intake sees it, on its own thread like the event loop: completes every item
   * {@code finish} accepts (completion first, then done, as {@code Pipeline} does), holds the others
   * until their lease ends and {@link #releaseInactive} lets them go.
   */
  final class Sink implements IntakeSink {
    final List<WorkItem> received = Collections.synchronizedList(new ArrayList<>());
    final List<WorkItem> held = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger pending = new AtomicInteger();
    final AtomicInteger maxPending = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    volatile Predicate<WorkItem> finish = i -> true;

    @Override
    public void accept(List<WorkItem> batch) {
      maxPending.accumulateAndGet(pending.addAndGet(batch.size()), Math::max);
      eventLoop.execute(() -> batch.forEach(item -> {
        received.add(item);
        if (finish.test(item)) {
          done(item, true);
        } else {
          held.add(item);
        }
      }));
    }

    void done(WorkItem item, boolean completed) {
      if (completed) {
        this.completed.incrementAndGet();
        completions.completed(item);
      } else {
        released.incrementAndGet();
      }
      pending.decrementAndGet();
      item.lease().itemDone();
    }

    /** Lets the held items go (as a slow call finishing). */
    void finishHeld() {
      eventLoop.execute(() -> {
        List<WorkItem> copy = new ArrayList<>(held);
        held.clear();
        copy.forEach(i -> done(i, true));
      });
    }

    @Override
    public int pending() {
      return pending.get();
    }

    @Override
    public boolean acceptingIntake() {
      return true;
    }

    @Override
    public void releaseInactive() {
      eventLoop.execute(() -> {
        List<WorkItem> gone = held.stream().filter(i -> !i.lease().active()).toList();
        held.removeAll(gone);
        gone.forEach(i -> done(i, false));
      });
    }
  }

  private final Sink sink = new Sink();

  private ShareIntake start(int maxBuffered, int lanes, int perLane) {
    ShareIntakeOptions share = new ShareIntakeOptions(GROUP, lanes, "w1", Duration.ofSeconds(60));
    intake = new ShareIntake(new IntakeOptions(TOPIC, maxBuffered, Duration.ZERO, Duration.ofMillis(10)), share,
        id -> consumers.computeIfAbsent(id, i -> new FakeShareConsumer(broker, i, perLane)), admin, sink, completions,
        listener, new EventParser(), metrics, Clock.systemUTC());
    intake.start().join();
    return intake;
  }

  private void produce(int n) {
    for (int i = 0; i < n; i++) {
      broker.produce(i % 2 == 0 ? P0 : P1, "k" + i, "{\"eventId\":\"e" + i + "\",\"email\":\"u" + i + "@example.com\"}");
    }
  }

  private void stop(Duration grace) throws Exception {
    intake.stop(grace).get(20, TimeUnit.SECONDS);
    eventLoop.shutdown();
    eventLoop.awaitTermination(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (intake != null && intake.running()) {
      stop(Duration.ZERO);
    }
    eventLoop.shutdownNow();
  }

  @Test
  void preparesTheGroupRestoresEveryPartitionAndAcceptsEveryCompletedRecord() throws Exception {
    produce(40);
    listener.answerAtOnce = false;
    start(16, 2, 8);
    await().atMost(Duration.ofSeconds(5)).until(() -> !listener.calls.isEmpty());
    assertThat(listener.calls.get(0)).containsExactlyInAnyOrder(P0, P1);
    assertThat(intake.waitingPartitions()).isEqualTo(2);
    Thread.sleep(200);
    assertThat(sink.received).as("nothing before the ledger knows the sends").isEmpty();
    assertThat(consumers).as("no consumer joins before the ledger is ready").isEmpty();
    assertThat(admin.set).containsEntry(ShareSettings.AUTO_OFFSET_RESET, "earliest")
        .containsEntry(ShareSettings.ISOLATION_LEVEL, "read_committed");
    assertThat(intake.settings().deliveryLimit()).isEqualTo(3);

    listener.answerAll();
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.received.size() == 40);
    assertThat(intake.waitingPartitions()).isZero();
    admin.members = Map.of("w1-share-0", Set.of(P0, P1), "w1-share-1", Set.of(P1), "w2-share-0", Set.of(P0));
    await().atMost(Duration.ofSeconds(10)).until(() -> intake.inGroup() && intake.assignedPartitions() == 2);
    stop(Duration.ofSeconds(5));

    assertThat(broker.states()).containsOnly(Map.entry(FakeShareBroker.State.ACKNOWLEDGED, 40));
    assertThat(broker.acquisitions).as("each record acquired once").hasSize(40);
    assertThat(sink.maxPending.get()).isLessThanOrEqualTo(16);
    assertThat(consumers.values()).allSatisfy(c -> assertThat(c.closed).isTrue());
    assertThat(consumers.keySet()).containsExactlyInAnyOrder("w1-share-0", "w1-share-1");
  }

  @Test
  void holdsNoMoreThanMaxBufferedWhileTheyAreUnfinished() throws Exception {
    produce(50);
    sink.finish = i -> false;
    start(12, 3, 4);
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.received.size() == 12);
    Thread.sleep(300);
    assertThat(sink.received).hasSize(12);
    assertThat(broker.acquisitions).hasSize(12);
    sink.finish = i -> true;
    sink.finishHeld();
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.received.size() == 50);
    stop(Duration.ofSeconds(5));
    assertThat(broker.states()).containsOnly(Map.entry(FakeShareBroker.State.ACKNOWLEDGED, 50));
  }

  @Test
  void shutdownReleasesQueuedRecordsForOtherMembersAndAcceptsTheFinishedOnes() throws Exception {
    produce(20);
    sink.finish = i -> i.offset() < 3; // the rest stay queued, as behind a Retry-After
    start(8, 2, 4);
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.received.size() == 8);
    stop(Duration.ofSeconds(2));

    assertThat(sink.released.get()).as("queued items released when their leases ended").isPositive();
    assertThat(sink.completed.get()).isEqualTo(3);
    assertThat(broker.states()).containsOnly(Map.entry(FakeShareBroker.State.ACKNOWLEDGED, 3),
        Map.entry(FakeShareBroker.State.AVAILABLE, 17));
  }
}
