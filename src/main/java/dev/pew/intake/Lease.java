package dev.pew.intake;

/**
 * Whether the worker still owns the record a work item came from. Once a lease ends (the partition
 * is being revoked or was lost, a share group's acquisition lock on the record was lost, or the
 * worker shuts down) no new call may start for its items. Implementations are safe to use from any
 * thread.
 */
public interface Lease {

  boolean active();

  /**
   * Told once per item that it is finished or released (after {@link Completions#completed} for a
   * finished one); see {@code intake.group.PartitionLease} and {@code intake.share.ShareLease}.
   */
  void itemDone();
}
