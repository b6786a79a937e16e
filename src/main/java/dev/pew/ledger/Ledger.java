package dev.pew.ledger;

import dev.pew.dispatch.Sends;
import dev.pew.intake.PartitionListener;
import dev.pew.intake.WorkItem;
import dev.pew.results.Publisher;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The record of successful sends, kept in Kafka ({@code TOPIC_LEDGER}) and, for the input
 * partitions this instance owns, in memory.
 *
 * <p>Design: one entry per send, keyed by the event id, in ledger partition {@code p mod L} for input
 * partition {@code p} (so a redelivery, which keeps its key and so its input partition, finds its
 * entry in the one ledger partition its new owner restores); the topic is compacted (the newest
 * send per id) and deleted by time (the window). An entry is written when the API accepted the call,
 * before the call's permit returns and before the result is published, so the offset is never
 * committed without it ({@link Sends}). When an input partition is gained, its ledger partition is
 * read to the end before any of its records is handed over ({@link PartitionListener}); memory holds
 * a fingerprint, offset and time per send within the window ({@link SendTable}).
 *
 * <p>Guarantees: after a crash, a record whose send is in the ledger is not called again (it is
 * answered as a duplicate of itself, without a call); a redelivered event id sent within {@code DEDUP_WINDOW_MS} is
 * answered without a call. Not covered: the same event id under another key (another partition), and
 * a false fingerprint match (about once in 10^13 lookups at a million sends).
 *
 * <p>In share mode every instance takes records of every partition and the {@link Restorer} is a
 * {@link LedgerFollower}: it keeps reading the whole topic into tables it owns, so the sends other
 * instances record reach this one too, and a restore (at start, or the re-read a redelivered record
 * waits for) hands over those same tables once it has caught up.
 *
 * <p>Threading: {@link #gained} and {@link #lost} are called by the intake thread, restores run on
 * the ledger's own thread (a follower's tables fill on the event loop), everything else on the
 * worker's event loop.
 */
public final class Ledger implements Sends, PartitionListener {

  /** What the ledger knows of an event id in one input partition. */
  public record Sent(long offset, long sentAtMillis, int attempts, int httpStatus, boolean inWindow) {}

  private final LedgerOptions options;
  private final Publisher publisher;
  private final Restorer restore;
  private final LedgerMetrics metrics;
  private final Clock clock;
  private final Map<Integer, SendTable> tables = new ConcurrentHashMap<>();
  private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();

  public Ledger(LedgerOptions options, Publisher publisher, Restorer restore, LedgerMetrics metrics, Clock clock) {
    this.options = options;
    this.publisher = publisher;
    this.restore = restore;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Restores the gained partitions' sends; completes when they are in memory (retrying until they are). */
  @Override
  public CompletionStage<Void> gained(Collection<TopicPartition> partitions) {
    restoring.addAll(partitions);
    long oldest = clock.millis() - options.keepMs();
    CompletableFuture<Void> done = new CompletableFuture<>();
    restore.restore(partitions, oldest).whenComplete((restored, error) -> {
      // Only a failure to start (closed): the restore itself retries until it is done.
      if (error == null) {
        restored.forEach(tables::put);
      }
      restoring.removeAll(partitions);
      done.complete(null);
    });
    return done;
  }

  @Override
  public void lost(Collection<TopicPartition> partitions) {
    partitions.forEach(tp -> tables.remove(tp.partition()));
    restoring.removeAll(partitions);
  }

  /** The send of this item's event id in its partition, if the ledger holds one (within the window or not). */
  public Optional<Sent> lookup(WorkItem item) {
    SendTable table = tables.get(item.partition().partition());
    if (table == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    int slot = table.find(Fingerprint.of(item.eventId().getBytes(StandardCharsets.UTF_8)), now - options.keepMs());
    if (slot < 0) {
      return Optional.empty();
    }
    long sentAt = table.sentAtMillisAt(slot);
    return Optional.of(new Sent(table.offsetAt(slot), sentAt, table.attemptsAt(slot), table.httpStatusAt(slot),
        options.windowMs() > 0 && sentAt >= now - options.windowMs()));
  }

  /** Writes the entry of a send and, once Kafka acknowledged it, keeps it in memory. */
  @Override
  public Future<Void> recorded(WorkItem item, int attempts, int httpStatus) {
    long now = clock.millis();
    int partition = item.partition().partition();
    byte[] key = item.eventId().getBytes(StandardCharsets.UTF_8);
    byte[] value = new LedgerRecord(partition, item.offset(), now, attempts, httpStatus).encode();
    // The partition count is known: this partition's sends were restored before its records came.
    long t0 = System.nanoTime();
    return publisher.send(new ProducerRecord<>(options.topic(), Math.floorMod(partition, restore.partitions()), key, value))
        .onSuccess(v -> {
          metrics.ledgerRecorded(System.nanoTime() - t0);
          SendTable table = tables.get(partition);
          if (table != null) {
            table.put(Fingerprint.of(key), item.offset(), attempts, httpStatus, now, now - options.keepMs());
          }
        });
  }

  /** Drops entries older than the window from memory (run now and then on the event loop). */
  public void prune() {
    long oldest = clock.millis() - options.keepMs();
    tables.values().forEach(t -> t.prune(oldest));
  }

  /** Sends held in memory. A moment-old value from any thread. */
  public long entries() {
    return tables.values().stream().mapToLong(SendTable::size).sum();
  }

  /** Input partitions whose sends are being restored; their records wait. Safe from any thread. */
  public int restoring() {
    return restoring.size();
  }
}
