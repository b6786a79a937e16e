package dev.pew.dispatch;

/**
 * Whether the worker still owns the partition a work item came from. Once a lease ends (the
 * partition is being revoked, was lost, or the worker shuts down) no new call may start for its
 * items. Implementations are safe to read from any thread.
 */
public interface Lease {

  boolean active();

  /** Told that one of its items is finished or released; see {@link dev.pew.kafka.PartitionLease}. */
  void itemDone();

  /** A lease that never ends, for tests and tools. */
  static Lease permanent() {
    return new Lease() {
      @Override
      public boolean active() {
        return true;
      }

      @Override
      public void itemDone() {}
    };
  }
}
