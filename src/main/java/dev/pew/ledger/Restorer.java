package dev.pew.ledger;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/** Reads the ledger topic back into memory ({@link LedgerRestore}); one method per question, for tests to replace. */
public interface Restorer {

  /** The sends of these input partitions from {@code oldestMillis} on, by input partition number. */
  CompletableFuture<Map<Integer, SendTable>> restore(Collection<TopicPartition> inputs, long oldestMillis);

  /** The ledger topic's partition count; -1 until known. */
  int partitions();
}
