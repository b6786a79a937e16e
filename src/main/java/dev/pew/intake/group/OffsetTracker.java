package dev.pew.intake.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-partition offset bookkeeping for every assigned partition, and the commits that follow from
 * it. See {@link PartitionProgress} for the guarantee.
 *
 * <p>Not thread-safe: owned by the intake thread, which also owns the Kafka consumer.
 */
public final class OffsetTracker {

  /** Kafka brokers reject longer commit metadata by default ({@code offset.metadata.max.bytes=4096}). */
  public static final int DEFAULT_MAX_METADATA_CHARS = 4000;

  private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> lastCommitted = new HashMap<>();
  private final int maxMetadataChars;

  public OffsetTracker() {
    this(DEFAULT_MAX_METADATA_CHARS);
  }

  public OffsetTracker(int maxMetadataChars) {
    this.maxMetadataChars = maxMetadataChars;
  }

  /**
   * Starts tracking a newly assigned partition from its committed offset and the previous owner's
   * metadata ({@code null} when nothing was committed yet: then the first read sets the base).
   */
  public void assign(TopicPartition tp, OffsetAndMetadata committed) {
    if (committed == null) {
      partitions.put(tp, new PartitionProgress(-1, CompletedOffsets.none()));
      lastCommitted.remove(tp);
      return;
    }
    CompletedOffsets inherited = CompletedOffsets.decode(committed.metadata()).orElse(CompletedOffsets.none());
    partitions.put(tp, new PartitionProgress(committed.offset(), inherited));
    lastCommitted.put(tp, committed);
  }

  public boolean isAssigned(TopicPartition tp) {
    return partitions.containsKey(tp);
  }

  /** The progress of an assigned partition, or null: look it up once per partition, not per record. */
  public PartitionProgress progress(TopicPartition tp) {
    return partitions.get(tp);
  }

  /** As {@link PartitionProgress#read}; throws for a partition that is not assigned. */
  public boolean read(TopicPartition tp, long offset) {
    PartitionProgress p = partitions.get(tp);
    if (p == null) {
      throw new IllegalStateException("partition not assigned: " + tp);
    }
    return p.read(offset);
  }

  /** Marks a record finished: its result is acknowledged by Kafka, or it needed none. */
  public void finish(TopicPartition tp, long offset) {
    PartitionProgress p = partitions.get(tp);
    if (p != null) {
      p.finish(offset);
    }
  }

  /**
   * The commits that would change what is committed, for the assigned partitions that changed since
   * their last commit point was computed: the periodic commit.
   */
  public Map<TopicPartition, OffsetAndMetadata> commitsDue() {
    return commitsDue(partitions.keySet(), false);
  }

  /**
   * The commits that would change what was last committed successfully, for the given partitions,
   * whether they changed or not: the final commit before partitions move (an asynchronous commit may
   * still be on its way).
   */
  public Map<TopicPartition, OffsetAndMetadata> finalCommits(Collection<TopicPartition> tps) {
    return commitsDue(tps, true);
  }

  private Map<TopicPartition, OffsetAndMetadata> commitsDue(Collection<TopicPartition> tps, boolean all) {
    Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
    for (TopicPartition tp : tps) {
      PartitionProgress p = partitions.get(tp);
      if (p == null || p.unknown() || !(all || p.changed())) {
        continue;
      }
      OffsetAndMetadata point = p.commitPoint(maxMetadataChars);
      OffsetAndMetadata last = lastCommitted.get(tp);
      if (last == null || last.offset() != point.offset() || !Objects.equals(last.metadata(), point.metadata())) {
        due.put(tp, point);
      }
    }
    return due;
  }

  /**
   * Whether some assigned partition changed since its commit point was last computed (one with
   * nothing read and nothing committed has no commit point: it does not count).
   */
  public boolean anyChanged() {
    for (PartitionProgress p : partitions.values()) {
      if (!p.unknown() && p.changed()) {
        return true;
      }
    }
    return false;
  }

  /** Records a successful commit. */
  public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, om) -> {
      PartitionProgress p = partitions.get(tp);
      if (p != null) {
        p.committed(om.offset());
        lastCommitted.put(tp, om);
      }
    });
  }

  /** A commit failed: compute these partitions' commit points again next time. */
  public void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.keySet().forEach(tp -> {
      PartitionProgress p = partitions.get(tp);
      if (p != null) {
        p.markChanged();
      }
    });
  }

  /** Stops tracking partitions that moved away (after their final commit, or lost). */
  public void remove(Collection<TopicPartition> tps) {
    for (TopicPartition tp : tps) {
      partitions.remove(tp);
      lastCommitted.remove(tp);
    }
  }
}
