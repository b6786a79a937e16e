package dev.pew.dispatch;

import dev.pew.intake.WorkItem;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Per-key ordering ({@code ORDERING=key}): of all items with the same Kafka key, only one is
 * admitted at a time, in the order they were read; the next is admitted when the previous one is
 * completely done (its result acknowledged, or released). Items of different keys, and items
 * without a key, run concurrently up to the dispatcher's limits.
 *
 * <p>Not thread-safe: confine to the pipeline's event loop.
 */
public final class KeySequencer {

  /** Keys with an admitted item, each with the items of the same key waiting behind it. */
  private final Map<ByteBuffer, Slot> busy = new HashMap<>();

  private static final class Slot {
    WorkItem admitted;
    final ArrayDeque<WorkItem> queue = new ArrayDeque<>();

    Slot(WorkItem admitted) {
      this.admitted = admitted;
    }
  }

  /** True when the item may go to the dispatcher now; otherwise it waits behind its key. */
  public boolean admit(WorkItem item) {
    ByteBuffer key = key(item);
    if (key == null) {
      return true;
    }
    Slot slot = busy.get(key);
    if (slot == null) {
      busy.put(key, new Slot(item));
      return true;
    }
    slot.queue.addLast(item);
    return false;
  }

  /**
   * An item is done: when it was the admitted item of its key, returns the next item of that key,
   * now admitted, or null. Items that never got admitted change nothing.
   */
  public WorkItem done(WorkItem item) {
    ByteBuffer key = key(item);
    if (key == null) {
      return null;
    }
    Slot slot = busy.get(key);
    if (slot == null || slot.admitted != item) {
      return null;
    }
    WorkItem next = slot.queue.pollFirst();
    if (next == null) {
      busy.remove(key);
    } else {
      slot.admitted = next;
    }
    return next;
  }

  /** Removes and returns the waiting (not admitted) items that match. */
  public List<WorkItem> removeWaiting(Predicate<WorkItem> which) {
    List<WorkItem> removed = new ArrayList<>();
    for (Slot slot : busy.values()) {
      for (Iterator<WorkItem> it = slot.queue.iterator(); it.hasNext(); ) {
        WorkItem item = it.next();
        if (which.test(item)) {
          it.remove();
          removed.add(item);
        }
      }
    }
    return removed;
  }

  private static ByteBuffer key(WorkItem item) {
    byte[] k = item.record().key();
    return k == null ? null : ByteBuffer.wrap(k);
  }
}
