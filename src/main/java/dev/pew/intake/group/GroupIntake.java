package dev.pew.intake.group;

import dev.pew.event.EventParser;
import dev.pew.event.InboundRecord;
import dev.pew.intake.AccessRefusals;
import dev.pew.intake.Completions;
import dev.pew.intake.Intake;
import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.IntakeOptions;
import dev.pew.intake.IntakeSink;
import dev.pew.intake.PartitionListener;
import dev.pew.intake.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code INTAKE=group}: reads the input topic as a member of a Kafka consumer group, with a plain
 * Kafka consumer on a thread of its own, hands records to the pipeline, and commits what is
 * finished.
 *
 * <p><b>Why not the Vert.x Kafka consumer here.</b> When partitions are revoked, everything that
 * finished on them must be committed <em>before</em> they move, or the next owner calls the API
 * again for those events. Kafka only allows that inside the rebalance callback, on the polling
 * thread, before the callback returns ({@link Rebalancing}). vertx-kafka-client runs its revoke
 * handler later on the event loop: too late. So this class drives the consumer synchronously; the
 * pipeline (dispatch, API calls, result publishing) stays on Vert.x. The two sides meet in {@link
 * IntakeSink} (records in), {@link Completions} (finished records out) and {@link PartitionLease}s
 * (ownership).
 *
 * <p>Guarantees: commits are explicit and never pass an unfinished record ({@link OffsetTracker},
 * {@link Commits}); finished offsets above the committed position ride in the commit metadata, and
 * records a previous owner finished are skipped; records are handed over only while fewer than
 * {@code maxBuffered} are unfinished, by pausing the assigned partitions ({@link PartitionPauses},
 * never a bare pause), so memory stays bounded however large the backlog is.
 *
 * <p>Threading: all consumer and tracker state is confined to the intake thread; {@link #stop} and
 * the status getters are safe from any thread.
 */
public final class GroupIntake implements Intake {

  private static final Logger LOG = LoggerFactory.getLogger(GroupIntake.class);
  private static final long LAG_SAMPLE_MS = 5000;

  private final IntakeOptions options;
  private final Map<String, String> consumerProps;
  private final IntakeSink sink;
  private final Completions completions;
  private final EventParser parser;
  private final IntakeMetrics metrics;
  private final Clock clock;
  private final OffsetTracker tracker = new OffsetTracker();
  private final Map<TopicPartition, PartitionLease> leases = new HashMap<>();
  private final PartitionPauses pauses;
  private final PollTimeouts pollTimeouts;
  private final Rebalancing rebalancing;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private KafkaConsumer<byte[], byte[]> consumer;
  private Commits commits;
  private Thread thread;
  private volatile boolean stopRequested;
  private volatile long shutdownDeadlineNanos;
  private volatile int assignedCount;
  private volatile boolean inGroup;
  private final AccessRefusals refusals = new AccessRefusals();
  private long lastLagSample;

  public GroupIntake(IntakeOptions options, Map<String, String> consumerProps, IntakeSink sink, Completions completions,
      PartitionListener listener, EventParser parser, IntakeMetrics metrics, Clock clock) {
    this.options = options;
    this.consumerProps = Map.copyOf(consumerProps);
    this.sink = sink;
    this.completions = completions;
    this.parser = parser;
    this.metrics = metrics;
    this.clock = clock;
    this.pauses = new PartitionPauses(sink, options.maxBuffered());
    this.pollTimeouts = new PollTimeouts(options.pollTimeout(), options.idlePollTimeout());
    this.rebalancing = new Rebalancing(this, tracker, leases, sink, metrics, listener, () -> stopRequested
        ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(shutdownDeadlineNanos - System.nanoTime()))
        : options.revokeTimeout().toMillis());
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
    return stopped;
  }

  @Override
  public boolean running() {
    return thread != null && thread.isAlive() && !stopped.isDone();
  }

  @Override
  public int assignedPartitions() {
    return assignedCount;
  }

  @Override
  public boolean inGroup() {
    return inGroup;
  }

  @Override
  public boolean paused() {
    return pauses.paused();
  }

  @Override
  public int waitingPartitions() {
    return pauses.waitingPartitions();
  }

  void joined() {
    inGroup = true;
  }

  void assignmentChanged() {
    assignedCount = leases.size();
  }

  /** Keeps these partitions paused, and their records back, until {@code ready} completes. Intake thread. */
  void waitFor(Collection<TopicPartition> partitions, CompletionStage<Void> ready) {
    pauses.waitFor(consumer, partitions, ready);
  }

  void stopWaiting(Collection<TopicPartition> partitions) {
    pauses.stopWaiting(partitions);
  }

  /** Applies finished records to the tracker; returns how many. Intake thread. */
  int drainCompletions() {
    return completions.drain(item -> tracker.finish(item.partition(), item.offset()));
  }

  private void run() {
    try {
      consumer = new KafkaConsumer<>(new HashMap<String, Object>(consumerProps), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      commits = new Commits(consumer, tracker, metrics, clock, options.pollTimeout().toMillis());
      rebalancing.attach(consumer, commits);
      consumer.subscribe(List.of(options.topic()), rebalancing);
      started.complete(null);
      while (!stopRequested) {
        try {
          step();
          refusals.accepted();
        } catch (AuthenticationException | AuthorizationException e) {
          refusals.refused(e, () -> stopRequested);
        }
      }
      drainForShutdown();
    } catch (Throwable t) {
      LOG.error("intake stopped unexpectedly; the worker is no longer live", t);
      started.completeExceptionally(t);
    } finally {
      closeConsumer();
      stopped.complete(null);
    }
  }

  private void step() {
    drainCompletions();
    commits.periodic();
    pauses.adjust(consumer, stopRequested);
    ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
    if (!records.isEmpty()) {
      handOver(records);
    }
    sampleLag();
  }

  /** See {@link PollTimeouts}. */
  private Duration pollTimeout() {
    return pollTimeouts.next(pauses.paused(), pauses.waitingPartitions(), inGroup, sink.pending() == 0 && commits.settled());
  }

  /** Per partition, not per record: one lease and one progress lookup for each partition's run of records. */
  private void handOver(ConsumerRecords<byte[], byte[]> records) {
    List<WorkItem> batch = new ArrayList<>(records.count());
    metrics.consumed(records.count());
    Instant now = clock.instant();
    for (TopicPartition tp : records.partitions()) {
      PartitionLease lease = leases.get(tp);
      PartitionProgress progress = tracker.progress(tp);
      if (lease == null || progress == null) {
        continue; // not ours any more; the next owner reads it
      }
      if (pauses.waiting(tp)) {
        consumer.seek(tp, records.records(tp).get(0).offset()); // read again once it is ready
        continue;
      }
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (!progress.read(r.offset())) {
          metrics.skipped("already_done");
          continue;
        }
        InboundRecord in = new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers(), r.timestamp());
        if (in.isTombstone()) {
          progress.finish(r.offset());
          metrics.skipped("tombstone");
          continue;
        }
        lease.itemHandedOver();
        batch.add(new WorkItem(in, tp, parser.parse(in), lease, now));
      }
    }
    if (!batch.isEmpty()) {
      sink.accept(batch);
    }
  }

  private void sampleLag() {
    long now = clock.millis();
    if (now - lastLagSample < LAG_SAMPLE_MS) {
      return;
    }
    lastLagSample = now;
    for (TopicPartition tp : consumer.assignment()) {
      consumer.currentLag(tp).ifPresent(lag -> metrics.lag(tp, lag));
    }
  }

  private void drainForShutdown() {
    pauses.adjust(consumer, stopRequested); // stopRequested: pauses every assigned partition
    drainCompletions();
    int finished = 0;
    leases.values().forEach(PartitionLease::end);
    sink.releaseInactive();
    int atStart = sink.pending();
    while (sink.pending() > 0 && System.nanoTime() < shutdownDeadlineNanos) {
      finished += drainCompletions();
      commits.periodic();
      consumer.poll(Duration.ofMillis(10)); // every partition is paused: keeps the group session, reads nothing
    }
    finished += drainCompletions();
    boolean committed = commits.sync(tracker.finalCommits(leases.keySet()), "shutdown");
    int left = sink.pending();
    int released = Math.max(0, atStart - left - finished);
    metrics.handoverDrained(finished);
    if (atStart == 0) {
      LOG.info("shutdown: nothing was unfinished{}", committed ? "; offsets committed" : "; final commit FAILED");
      return;
    }
    LOG.info("shutdown: drained {} calls in flight (results published{}), released {} queued records and left {} unfinished "
        + "after the grace period; those {} are redone by the next owner", finished,
        committed ? ", offsets committed" : ", final commit FAILED", released, left, released + left);
  }

  private void closeConsumer() {
    if (consumer == null) {
      return;
    }
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("closing the consumer: {}", e.toString());
    }
  }
}
