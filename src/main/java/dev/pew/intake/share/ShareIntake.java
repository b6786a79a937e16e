package dev.pew.intake.share;

import dev.pew.event.EventParser;
import dev.pew.intake.AccessRefusals;
import dev.pew.intake.Completions;
import dev.pew.intake.Intake;
import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.IntakeOptions;
import dev.pew.intake.IntakeSink;
import dev.pew.intake.PartitionListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code INTAKE=share}: reads the input topic as a member of a Kafka share group (KIP-932), where
 * every member takes records from every partition and each record is acknowledged on its own, with
 * plain Kafka share consumers ({@link ShareLane}s), each on a thread of its own ({@link LaneLoop}), and one thread
 * (like {@code GroupIntake}'s) that prepares the group, routes what the pipeline finished to the
 * lanes and samples the cluster.
 *
 * <p>Guarantees: a record is acknowledged ACCEPT only after the pipeline completed it (its result
 * acknowledged by Kafka, through {@link Completions}); one the pipeline let go, or queued at
 * shutdown, is RELEASEd for another member. Each record's {@link ShareLease} is active only while
 * this member holds the record's acquisition lock, which is renewed while the record is worked on
 * (Retry-After pauses, backoff, holds, slow calls). No record is handed over before the ledger knows
 * its partition's sends ({@link LedgerGate}: every input partition is gained at start; a redelivered
 * record waits for a fresh read of its partition). A record on the last delivery the group allows is
 * handed over marked {@link dev.pew.intake.WorkItem.Delivery#last()}, so that it ends with a result before the broker
 * archives it. Memory: each lane holds at most one batch of {@code maxBuffered / lanes} records, and
 * no lane asks for more while {@code maxBuffered} records are unfinished, the worker holds, results
 * cannot be published or it shuts down.
 *
 * <p>Before the first record it makes sure a new group starts at the earliest offset and reads only
 * committed records (the group's {@code share.auto.offset.reset} and {@code share.isolation.level},
 * when not set for the group: what {@code auto.offset.reset=earliest} and {@code read_committed} are
 * in group mode), reads the group's lock duration and delivery limit, and restores the ledger.
 *
 * <p>Health: {@link #inGroup()} is true once one of this instance's consumers is a member of the
 * group (the group's description, sampled every few seconds); {@link #assignedPartitions()} counts
 * the input partitions assigned to them (in a share group several members share a partition).
 *
 * <p>Threading: each consumer and its records' bookkeeping are confined to its lane's thread; {@link
 * #stop} and the status getters are safe from any thread.
 */
public final class ShareIntake implements Intake {

  private static final Logger LOG = LoggerFactory.getLogger(ShareIntake.class);

  private final IntakeOptions options;
  private final ShareIntakeOptions share;
  private final Function<String, ShareConsumer<byte[], byte[]>> consumers;
  private final ShareGroupAdmin admin;
  private final IntakeSink sink;
  private final EventParser parser;
  private final IntakeMetrics metrics;
  private final Clock clock;
  private final LedgerGate gate;
  private final List<ShareLane> lanes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final FinishedRouter router;
  private final ShutdownTally tally = new ShutdownTally();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile ShareSettings settings = ShareSettings.DEFAULTS;

  private volatile Thread thread;
  private volatile boolean stopRequested;
  private volatile long shutdownDeadlineNanos;
  private volatile boolean paused = true;
  private volatile int waitingPartitions;
  private final AccessRefusals refusals = new AccessRefusals();
  private final GroupSampler sampler;

  public ShareIntake(IntakeOptions options, ShareIntakeOptions share, Function<String, ShareConsumer<byte[], byte[]>> consumers,
      ShareGroupAdmin admin, IntakeSink sink, Completions completions, PartitionListener listener, EventParser parser,
      IntakeMetrics metrics, Clock clock) {
    this.options = options;
    this.share = share;
    this.consumers = consumers;
    this.admin = admin;
    this.sink = sink;
    this.parser = parser;
    this.metrics = metrics;
    this.clock = clock;
    this.gate = new LedgerGate(listener);
    this.router = new FinishedRouter(completions, () -> LockSupport.unpark(thread));
    this.sampler = new GroupSampler(admin, share, options.topic(), metrics, gate, s -> settings = s);
  }

  @Override
  public CompletableFuture<Void> start() {
    thread = new Thread(this::run, "pew-intake");
    thread.setDaemon(false);
    thread.start();
    return started;
  }

  @Override
  public CompletableFuture<Void> stop(Duration grace) {
    shutdownDeadlineNanos = System.nanoTime() + grace.toNanos();
    stopRequested = true;
    LockSupport.unpark(thread);
    lanes.forEach(ShareLane::wakeup);
    return stopped;
  }

  @Override
  public boolean running() {
    return thread != null && thread.isAlive() && !stopped.isDone();
  }

  @Override
  public boolean inGroup() {
    return sampler.inGroup();
  }

  @Override
  public int assignedPartitions() {
    return sampler.assignedCount();
  }

  @Override
  public boolean paused() {
    return paused;
  }

  @Override
  public int waitingPartitions() {
    return waitingPartitions;
  }

  /** The group settings in use (for tests and the status line). Intake thread, or a moment-old value. */
  ShareSettings settings() {
    return settings;
  }

  private void run() {
    List<Thread> laneThreads = new ArrayList<>();
    try {
      started.complete(null);
      if (prepare()) {
        Duration ask = Duration.ofMillis(Math.max(1, options.pollTimeout().toMillis()));
        for (int i = 0; i < share.lanes(); i++) {
          String clientId = share.clientId(i);
          lanes.add(new ShareLane(clientId, consumers.apply(clientId), ask, clock, () -> settings, gate, parser, metrics,
              router::done));
        }
        LOG.info("share intake: group {} on {}, {} consumers of up to {} records each; lock {} ms, delivery limit {}{}",
            share.group(), options.topic(), share.lanes(), ShareIntakeOptions.recordsPerLane(options.maxBuffered(),
                share.lanes()), settings.lockMs(), settings.deliveryLimit(), settings.known() ? "" : " (assumed: Kafka's defaults)");
        for (ShareLane lane : lanes) {
          LaneLoop loop = new LaneLoop(lane, options.topic(), share.keepAlive(), clock, sink, this::wantMore,
              () -> stopRequested, () -> shutdownDeadlineNanos, refusals, tally);
          Thread t = new Thread(loop, "pew-intake-" + lane.name().substring(lane.name().lastIndexOf("share")));
          lane.runOn(t);
          laneThreads.add(t);
        }
        laneThreads.forEach(Thread::start);
        while (!stopRequested && laneThreads.stream().allMatch(Thread::isAlive)) {
          coordinate();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (!stopRequested) {
          throw new IllegalStateException("a share consumer's thread ended unexpectedly");
        }
        drainForShutdown(laneThreads);
      }
    } catch (Throwable t) {
      LOG.error("intake stopped unexpectedly; the worker is no longer live", t);
      started.completeExceptionally(t);
      stopRequested = true;
      lanes.forEach(ShareLane::wakeup);
      joinAll(laneThreads, Duration.ofSeconds(10));
    } finally {
      stopped.complete(null);
    }
  }

  /** The main thread's turn: routes what the pipeline finished to the lanes, starts ledger reads, samples the cluster. */
  private void coordinate() {
    router.route();
    long now = clock.millis();
    gate.advance(now);
    sampler.sample(now);
    waitingPartitions = gate.waiting();
    paused = !wantMore();
  }

  private boolean wantMore() {
    return !stopRequested && sink.acceptingIntake() && sink.pending() < options.maxBuffered();
  }

  private static void joinAll(List<Thread> threads, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Before any consumer joins: the group's configs (a new group starts at the earliest offset and
   * reads committed records only), its lock duration and delivery limit, and every input
   * partition's sends in the ledger. Returns false when stopped first.
   */
  private boolean prepare() throws InterruptedException {
    GroupSetup setup = new GroupSetup(admin, share.group(), () -> stopRequested);
    settings = setup.prepare(settings);
    Set<TopicPartition> partitions = null;
    while (partitions == null && !stopRequested) {
      partitions = setup.await(admin.partitions(options.topic()), "the partitions of " + options.topic());
    }
    if (partitions == null) {
      return false;
    }
    if (partitions.isEmpty()) {
      LOG.warn("share intake: topic {} does not exist (yet); its partitions' sends are restored as they appear", options.topic());
    }
    CompletableFuture<Void> restored = gate.gain(partitions);
    waitingPartitions = gate.waiting();
    while (!restored.isDone() && !stopRequested) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      waitingPartitions = gate.waiting();
    }
    waitingPartitions = gate.waiting();
    sampler.partitionsChecked(clock.millis());
    return !stopRequested;
  }

  private void drainForShutdown(List<Thread> laneThreads) {
    paused = true;
    lanes.forEach(ShareLane::wakeup);
    long until = shutdownDeadlineNanos + TimeUnit.SECONDS.toNanos(15);
    while (laneThreads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < until) {
      router.route();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    router.route();
    tally.report(metrics);
  }
}
