package dev.pew.intake;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where records come from and where their completion is settled (an offset commit, or an
 * acknowledgement): one implementation per {@code INTAKE} mode. Records go to an {@link IntakeSink};
 * finished ones come back through {@link Completions}.
 *
 * <p>Guarantee of every implementation: a record is settled only after the pipeline completed it
 * (its result acknowledged by Kafka); memory stays bounded by pausing intake while {@code
 * MAX_BUFFERED} records are unfinished. The status getters are safe from any thread.
 */
public interface Intake {

  /** Starts reading; completes once subscribed. */
  CompletableFuture<Void> start();

  /**
   * Stops taking records, ends every lease (queued items are released, calls in flight finish and
   * their results are published), waits up to {@code grace} for that, settles what finished and
   * leaves. Completes when intake has ended.
   */
  CompletableFuture<Void> stop(Duration grace);

  /** The intake is alive (it stops only at shutdown or on an unexpected error). */
  boolean running();

  /** Joined its group (it may own no partition when instances outnumber partitions). */
  boolean inGroup();

  int assignedPartitions();

  /** Paused: buffer full, holding, results failing, or shutting down. */
  boolean paused();

  /** Owned partitions whose records wait for the ledger to restore their sends. */
  int waitingPartitions();
}
