package dev.pew.intake.share;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The records one {@link ShareLane} holds, by partition and offset, in the order acquired; the
 * ledger ticket of each one not handed over yet; and the leases whose acknowledgement (or renewal)
 * is unanswered, per record, in the order sent: the broker answers one partition's in order, and a
 * record released and acquired again may have an old and a new lease waiting at once. A record
 * leaves once it is {@link ShareLease#settled() settled}. Counts the leases it ended. Confined to the lane's thread.
 */
final class LaneRecords {

  /** Where a record is held: its partition and offset. */
  private record Key(TopicPartition partition, long offset) {}

  private final Map<Key, ShareLease> held = new LinkedHashMap<>();
  private final Map<ShareLease, CompletableFuture<Void>> tickets = new LinkedHashMap<>();
  private final Map<Key, ArrayDeque<ShareLease>> awaiting = new HashMap<>();
  private int lost;

  /** Every record held, in the order acquired. */
  Collection<ShareLease> all() {
    return held.values();
  }

  int size() {
    return held.size();
  }

  /** The lease of the record at that place, or null. */
  ShareLease get(TopicPartition partition, long offset) {
    return held.get(new Key(partition, offset));
  }

  /** A record acquired: held, and waiting for {@code ticket} (its partition's ledger) when not null. */
  void add(ShareLease lease, CompletableFuture<Void> ticket) {
    held.put(new Key(lease.partition, lease.offset()), lease);
    if (ticket != null) {
      tickets.put(lease, ticket);
    }
  }

  /** The records waiting to be handed over, with their tickets, in the order acquired (removable). */
  Iterator<Map.Entry<ShareLease, CompletableFuture<Void>>> waiting() {
    return tickets.entrySet().iterator();
  }

  boolean noneWaiting() {
    return tickets.isEmpty();
  }

  /** An acknowledgement or renewal of {@code l} went out; its answer is matched by {@link #answered}. */
  void sent(ShareLease l) {
    awaiting.computeIfAbsent(new Key(l.partition, l.offset()), k -> new ArrayDeque<>()).add(l);
  }

  /** The oldest lease waiting for the broker's answer about that record, or null. */
  ShareLease answered(TopicPartition partition, long offset) {
    Key key = new Key(partition, offset);
    ArrayDeque<ShareLease> queue = awaiting.get(key);
    ShareLease l = queue == null ? null : queue.poll();
    if (queue != null && queue.isEmpty()) {
      awaiting.remove(key);
    }
    return l;
  }

  /** The consumer no longer holds {@code l}; one not handed over yet is dropped. */
  void gone(ShareLease l) {
    l.client = ShareLease.Client.GONE;
    dropIfWaiting(l);
  }

  /** A record not handed over yet will not be: dropped, its ticket forgotten. */
  void dropIfWaiting(ShareLease l) {
    if (l.stage == ShareLease.Stage.WAITING) {
      l.stage = ShareLease.Stage.DROPPED;
      tickets.remove(l);
    }
  }

  /** No new call may start for {@code l} (its lock runs out or is lost); true the first time, counted for {@link #takeLost}. */
  boolean endLease(ShareLease l) {
    if (l.ended()) {
      return false;
    }
    l.end();
    lost++;
    return true;
  }

  /** Leases ended by {@link #endLease} since the last call. */
  int takeLost() {
    int n = lost;
    lost = 0;
    return n;
  }

  /** Shutdown: nothing more is handed over. */
  void forgetTickets() {
    tickets.clear();
  }

  void removeSettled() {
    held.values().removeIf(ShareLease::settled);
  }

  int count(ShareLease.Client state) {
    int n = 0;
    for (ShareLease l : held.values()) {
      if (l.client == state) {
        n++;
      }
    }
    return n;
  }

  /** Records of this lane in the pipeline now. */
  int inPipeline() {
    int n = 0;
    for (ShareLease l : held.values()) {
      if (l.stage == ShareLease.Stage.HANDED) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether the lane still has work before it may close: records in the pipeline, or finished ones
   * whose renewal is out (they can be accepted only once the consumer returns them; closing now would
   * release them, and their results would be published again by the next holder).
   */
  boolean busy() {
    for (ShareLease l : held.values()) {
      if (l.stage == ShareLease.Stage.HANDED || l.client == ShareLease.Client.RENEWING
          || l.client == ShareLease.Client.RENEWED) {
        return true;
      }
    }
    return false;
  }

  /** When the consumer holds nothing of this lane's, a poll may acquire a new batch. */
  boolean consumerHoldsNone() {
    for (ShareLease l : held.values()) {
      if (l.client != ShareLease.Client.GONE && l.client != ShareLease.Client.ACKING) {
        return false;
      }
    }
    return true;
  }
}
