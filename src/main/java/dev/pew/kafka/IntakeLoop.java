package dev.pew.kafka;

import dev.pew.dispatch.WorkItem;
import dev.pew.event.EventParser;
import dev.pew.event.InboundRecord;
import dev.pew.event.ParsedEvent;
import dev.pew.ops.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the input topic with a plain Kafka consumer on a thread of its own, hands records to the
 * pipeline, and commits what is finished.
 *
 * <p><b>Why not the Vert.x Kafka consumer here.</b> When partitions are revoked, everything that
 * finished on them must be committed <em>before</em> they move, or the next owner calls the API
 * again for those events. Kafka only allows that inside {@link #onPartitionsRevoked}, on the polling
 * thread, before the callback returns. vertx-kafka-client runs its revoke handler later on the
 * event loop, after Kafka's callback has returned: too late. So this one class drives the consumer
 * synchronously; the pipeline (dispatch, API calls, result publishing with the Vert.x Kafka
 * producer) stays on Vert.x. The two sides meet in {@link IntakeSink} (records in), a queue of
 * {@link Completion}s (finished offsets out) and {@link PartitionLease}s (ownership).
 *
 * <p>Guarantees: commits are explicit and never pass an unfinished record ({@link OffsetTracker});
 * finished offsets above the committed position ride in the commit metadata, and records a previous
 * owner finished are skipped; a revoked partition stops starting calls, waits (up to {@code
 * revokeTimeout}) for its calls in flight and their results, and commits synchronously inside the
 * callback; a lost partition is dropped without a commit; records are handed over only while fewer
 * than {@code maxBuffered} are unfinished, by pausing the assigned partitions (never a bare pause),
 * so memory stays bounded however large the backlog is.
 *
 * <p>Threading: all consumer and tracker state is confined to the intake thread; {@link #stop} and
 * the status getters are safe from any thread.
 */
public final class IntakeLoop implements ConsumerRebalanceListener {

  private static final Logger LOG = LoggerFactory.getLogger(IntakeLoop.class);
  private static final long LAG_SAMPLE_MS = 5000;

  private final IntakeOptions options;
  private final Map<String, Object> consumerProps;
  private final IntakeSink sink;
  private final EventParser parser;
  private final WorkerMetrics metrics;
  private final Clock clock;

  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final OffsetTracker tracker = new OffsetTracker();
  private final Map<TopicPartition, PartitionLease> leases = new HashMap<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;
  private volatile boolean stopRequested;
  private volatile long shutdownDeadlineNanos;
  private volatile int assignedCount;
  private volatile boolean paused;
  private volatile boolean inGroup;
  private boolean commitInFlight;
  private int accessRefusals;
  /** Consecutive failed commits, and when to try again (a broker outage must not spin or spam). */
  private int commitFailures;
  private long nextCommitAt;
  private long lastLagSample;

  public IntakeLoop(IntakeOptions options, Map<String, Object> consumerProps, IntakeSink sink, EventParser parser,
      WorkerMetrics metrics, Clock clock) {
    this.options = options;
    this.consumerProps = Map.copyOf(consumerProps);
    this.sink = sink;
    this.parser = parser;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Where the pipeline reports finished records. Thread-safe. */
  public Consumer<Completion> completions() {
    return completions::add;
  }

  /** Starts the intake thread; completes once the consumer is subscribed. */
  public CompletableFuture<Void> start() {
    thread = new Thread(this::run, "pew-intake");
    thread.setDaemon(false);
    thread.start();
    return started;
  }

  /**
   * Stops taking records, ends every lease (queued items are released, calls in flight finish and
   * their results are published), waits up to {@code grace} for that, commits, and closes the
   * consumer (leaving the group). Completes when the thread has ended.
   */
  public CompletableFuture<Void> stop(Duration grace) {
    shutdownDeadlineNanos = System.nanoTime() + grace.toNanos();
    stopRequested = true;
    return stopped;
  }

  public boolean running() {
    return thread != null && thread.isAlive() && !stopped.isDone();
  }

  public int assignedPartitions() {
    return assignedCount;
  }

  /** Whether the consumer has joined its group (it may own no partition when instances outnumber them). */
  public boolean inGroup() {
    return inGroup;
  }

  public boolean intakePaused() {
    return paused;
  }

  private void run() {
    try {
      consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(options.topic()), this);
      started.complete(null);
      while (!stopRequested) {
        try {
          step(options.pollTimeout());
          if (accessRefusals > 0) {
            LOG.info("Kafka accepts the worker's credentials again after {} refusals", accessRefusals);
            accessRefusals = 0;
          }
        } catch (AuthenticationException | AuthorizationException e) {
          waitAfterRefusal(e);
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

  /**
   * Kafka refused the worker (wrong SASL credentials, missing ACLs): an operator can fix that while
   * the worker runs, so it stays up, not ready, and tries again on a backoff instead of dying.
   */
  private void waitAfterRefusal(RuntimeException e) {
    accessRefusals++;
    if (accessRefusals == 1) {
      LOG.error("Kafka refused the worker ({}): {}; not ready; retrying with backoff until it is accepted",
          e.getClass().getSimpleName(), e.getMessage());
    }
    long delay = Math.min(10_000, 200L << Math.min(accessRefusals, 6));
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
    while (!stopRequested && System.nanoTime() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void step(Duration pollTimeout) {
    drainCompletions();
    commitIfDue();
    adjustPause();
    ConsumerRecords<byte[], byte[]> records = consumer.poll(paused ? Duration.ofMillis(10) : pollTimeout);
    if (!records.isEmpty()) {
      handOver(records);
    }
    sampleLag();
  }

  private void handOver(ConsumerRecords<byte[], byte[]> records) {
    List<WorkItem> batch = new ArrayList<>(records.count());
    metrics.consumed(records.count());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      PartitionLease lease = leases.get(tp);
      if (lease == null || !tracker.isAssigned(tp)) {
        continue; // not ours any more; the next owner reads it
      }
      if (!tracker.read(tp, r.offset())) {
        metrics.skipped("already_done");
        continue;
      }
      InboundRecord in = new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers(), r.timestamp());
      if (in.isTombstone()) {
        tracker.finish(tp, r.offset());
        metrics.skipped("tombstone");
        continue;
      }
      ParsedEvent parsed = parser.parse(in);
      lease.itemHandedOver();
      batch.add(new WorkItem(in, parsed, lease, clock.instant()));
    }
    if (!batch.isEmpty()) {
      sink.accept(batch);
    }
  }

  private void adjustPause() {
    Set<TopicPartition> assigned = consumer.assignment();
    // No low-water mark: slow or hung calls could hold the count above it forever and starve
    // intake while call slots are free. One poll may overshoot by up to max.poll.records.
    boolean full = sink.pending() >= options.maxBuffered();
    boolean pause = stopRequested || full || !sink.acceptingIntake();
    if (pause) {
      Set<TopicPartition> toPause = new HashSet<>(assigned);
      toPause.removeAll(consumer.paused());
      if (!toPause.isEmpty()) {
        consumer.pause(toPause);
      }
      paused = true;
    } else if (paused) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  /** Applies finished records to the tracker; returns how many. */
  private int drainCompletions() {
    int n = 0;
    Completion c;
    while ((c = completions.poll()) != null) {
      tracker.finish(c.partition(), c.offset());
      n++;
    }
    return n;
  }

  private void commitIfDue() {
    if (commitInFlight || clock.millis() < nextCommitAt) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> due = tracker.commitsDue();
    if (due.isEmpty()) {
      return;
    }
    commitInFlight = true;
    long t0 = System.nanoTime();
    consumer.commitAsync(due, (offsets, error) -> {
      commitInFlight = false;
      metrics.commit(System.nanoTime() - t0, error == null);
      if (error == null) {
        tracker.committed(due);
        if (commitFailures > 0) {
          LOG.info("offset commits work again after {} failed attempts", commitFailures);
        }
        commitFailures = 0;
        nextCommitAt = 0;
        return;
      }
      commitFailures++;
      nextCommitAt = clock.millis() + Math.min(5000, 100L << Math.min(commitFailures, 6));
      if (error instanceof RebalanceInProgressException) {
        // Normal while the group rebalances; the revoke callback commits synchronously anyway.
        LOG.debug("offset commit deferred: rebalance in progress");
      } else if (commitFailures == 1) {
        LOG.warn("offset commit failed, retrying with backoff (logged once until it works): {}", error.toString());
      } else {
        LOG.debug("offset commit failed again: {}", error.toString());
      }
    });
  }

  private boolean commitSync(Map<TopicPartition, OffsetAndMetadata> due, String why) {
    if (due.isEmpty()) {
      return true;
    }
    long t0 = System.nanoTime();
    try {
      consumer.commitSync(due, Duration.ofSeconds(10));
      metrics.commit(System.nanoTime() - t0, true);
      tracker.committed(due);
      return true;
    } catch (RuntimeException e) {
      metrics.commit(System.nanoTime() - t0, false);
      LOG.warn("offset commit ({}) failed: {}; unfinished work there will be redone by the next owner", why, e.toString());
      return false;
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

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    inGroup = true;
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    try {
      committed.putAll(consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(15)));
    } catch (RuntimeException e) {
      LOG.warn("could not read committed offsets of {}: {}; finished-offset hints of the previous owner are ignored",
          partitions, e.toString());
    }
    int inherited = 0;
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata om = committed.get(tp);
      tracker.assign(tp, om);
      if (om != null) {
        inherited += CompletedOffsets.decode(om.metadata()).map(CompletedOffsets::count).orElse(0);
      }
      leases.put(tp, new PartitionLease(tp));
    }
    assignedCount = leases.size();
    LOG.info("assigned {}{}", partitions, inherited > 0 ? "; " + inherited + " records above the committed offsets were finished by the previous owner and will be skipped" : "");
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    List<PartitionLease> ending = new ArrayList<>();
    int unfinishedAtStart = 0;
    for (TopicPartition tp : partitions) {
      PartitionLease lease = leases.get(tp);
      if (lease != null) {
        lease.end();
        ending.add(lease);
        unfinishedAtStart += lease.unfinished();
      }
    }
    sink.releaseInactive();
    long timeoutMs = options.revokeTimeout().toMillis();
    if (stopRequested) {
      timeoutMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(shutdownDeadlineNanos - System.nanoTime()));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    int left = 0;
    try {
      for (PartitionLease lease : ending) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (!lease.awaitDrained(Math.max(0, remaining))) {
          left += lease.unfinished();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drainCompletions();
    commitSync(tracker.commitsDue(partitions), "revoke");
    forget(partitions);
    metrics.handoverDrained(unfinishedAtStart - left);
    if (unfinishedAtStart > 0 || left > 0) {
      LOG.info("revoked {}: waited for {} unfinished records (calls in flight finished, queued ones released){}",
          partitions, unfinishedAtStart, left > 0 ? "; " + left + " still unfinished after the timeout will be redone by the next owner" : "");
    } else {
      LOG.info("revoked {}", partitions);
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      PartitionLease lease = leases.get(tp);
      if (lease != null) {
        lease.end();
      }
    }
    sink.releaseInactive();
    forget(partitions);
    LOG.warn("lost {} (the group moved on without us): no commit possible; unfinished records there will be redone", partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    tracker.remove(partitions);
    for (TopicPartition tp : partitions) {
      leases.remove(tp);
      metrics.lagGone(tp);
    }
    assignedCount = leases.size();
  }

  private void drainForShutdown() {
    adjustPause(); // stopRequested: pauses every assigned partition
    drainCompletions();
    int finished = 0;
    leases.values().forEach(PartitionLease::end);
    sink.releaseInactive();
    int atStart = sink.pending();
    while (sink.pending() > 0 && System.nanoTime() < shutdownDeadlineNanos) {
      finished += drainCompletions();
      commitIfDue();
      consumer.poll(Duration.ofMillis(10)); // every partition is paused: keeps the group session, reads nothing
    }
    finished += drainCompletions();
    boolean committed = commitSync(tracker.commitsDue(), "shutdown");
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
