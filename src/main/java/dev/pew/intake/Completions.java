package dev.pew.intake;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Records whose result Kafka acknowledged, on their way back from the event loop to the intake
 * thread, which settles them (commits the offset). Thread-safe: added to from any thread, drained by
 * the intake thread.
 */
public final class Completions {

  private final ConcurrentLinkedQueue<WorkItem> queue = new ConcurrentLinkedQueue<>();

  /** The item's result is acknowledged: its record may be settled. */
  public void completed(WorkItem item) {
    queue.add(item);
  }

  /** Hands every completed item to {@code settle}; returns how many. Intake thread only. */
  public int drain(Consumer<WorkItem> settle) {
    int n = 0;
    WorkItem item;
    while ((item = queue.poll()) != null) {
      settle.accept(item);
      n++;
    }
    return n;
  }
}
