package dev.pew.intake;

import java.util.Collection;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;

/**
 * Told when this instance gains or loses input partitions. Records of gained partitions are handed
 * over only once {@link #gained} completed (the ledger restores their sends first). Called on the
 * intake thread; must not block it.
 */
public interface PartitionListener {

  CompletionStage<Void> gained(Collection<TopicPartition> partitions);

  void lost(Collection<TopicPartition> partitions);
}
