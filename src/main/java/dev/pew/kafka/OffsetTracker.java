package dev.pew.kafka;

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
      partitions.put(tp, null);
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

  /**
   * Notes a record read from {@code tp}. Returns false when it was already finished by a previous
   * owner (skip it) or is a duplicate delivery.
   */
  public boolean read(TopicPartition tp, long offset) {
    PartitionProgress p = partitions.get(tp);
    if (p == null) {
      if (!partitions.containsKey(tp)) {
        throw new IllegalStateException("partition not assigned: " + tp);
      }
      // Nothing committed before: this first record is the base.
      p = new PartitionProgress(offset, CompletedOffsets.none());
      partitions.put(tp, p);
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

  /** The commits that would change what is committed, for all assigned partitions. */
  public Map<TopicPartition, OffsetAndMetadata> commitsDue() {
    return commitsDue(partitions.keySet());
  }

  /** The commits that would change what is committed, for the given partitions. */
  public Map<TopicPartition, OffsetAndMetadata> commitsDue(Collection<TopicPartition> tps) {
    Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
    for (TopicPartition tp : tps) {
      PartitionProgress p = partitions.get(tp);
      if (p == null) {
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

  /** Stops tracking partitions that moved away (after their final commit, or lost). */
  public void remove(Collection<TopicPartition> tps) {
    for (TopicPartition tp : tps) {
      partitions.remove(tp);
      lastCommitted.remove(tp);
    }
  }
}
