package dev.pew.ops;

/**
 * What health checks and the status line read about the running worker. Implementations are safe
 * to read from any thread (values may be a moment old).
 */
public interface WorkerStatus {

  /** The intake thread is alive (it stops only at shutdown or on an unexpected error). */
  boolean intakeRunning();

  /** The consumer joined its group; it may own no partition when instances outnumber partitions. */
  boolean inGroup();

  int assignedPartitions();

  /** Results cannot be published right now (retrying). */
  boolean publishFailing();

  /** Why the worker holds ({@code OUTAGE}, {@code CREDENTIALS}), or null when it calls the API normally. */
  String holdReason();

  long heldMillis();

  /** A 429's {@code Retry-After} pauses all calls right now. */
  boolean throttled();

  int inFlight();

  /** Records read and not finished (in flight, queued, waiting for a retry, publishing). */
  int unfinished();

  /** Members of the fleet (this consumer group) this instance knows, itself included. */
  int fleetMembers();

  /** This instance's share of the group's rate limit (1 with RATE_LIMIT_SCOPE=instance). */
  double fleetShare();

  /** Whether this instance probes for the fleet while it holds. */
  boolean fleetProber();

  /** Whether the fleet's control channel is lost (a conservative share applies). */
  boolean fleetDegraded();

  /** Owned partitions whose records wait for the ledger to restore their sends (not ready meanwhile). */
  int restoringPartitions();

  /** Sends the ledger holds in memory. */
  long ledgerEntries();

  /** Intake is paused: buffer full, holding, results failing, or shutting down. */
  boolean intakePaused();
}
