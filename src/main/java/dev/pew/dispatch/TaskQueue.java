package dev.pew.dispatch;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The dispatcher's waiting items: those ready for a call, in order (a retry or a refunded call goes
 * back to the head), and those waiting on a timer for their retry, which hold no permit and block no
 * other item. Confined to the dispatcher's event loop.
 */
final class TaskQueue {

  private final Vertx vertx;
  private final Runnable onReady;
  private final Deque<Task> ready = new ArrayDeque<>();
  private final Set<Task> waiting = new LinkedHashSet<>();

  /** @param onReady run when a retry's time has come (the dispatcher pumps) */
  TaskQueue(Vertx vertx, Runnable onReady) {
    this.vertx = vertx;
    this.onReady = onReady;
  }

  void addLast(Task t) {
    ready.addLast(t);
  }

  void addFirst(Task t) {
    ready.addFirst(t);
  }

  Task peek() {
    return ready.peekFirst();
  }

  Task poll() {
    return ready.pollFirst();
  }

  boolean isEmpty() {
    return ready.isEmpty();
  }

  /** Ready and retry-waiting items. */
  int size() {
    return ready.size() + waiting.size();
  }

  /** {@code t} goes back to the head of the queue after {@code delayMillis}. */
  void retryIn(Task t, long delayMillis) {
    waiting.add(t);
    t.retryTimer = vertx.setTimer(Math.max(1, delayMillis), id -> {
      t.retryTimer = -1;
      if (waiting.remove(t)) {
        ready.addFirst(t);
        onReady.run();
      }
    });
  }

  /** Takes out every ready or retry-waiting item whose lease ended. */
  List<Task> removeInactive() {
    List<Task> gone = new ArrayList<>();
    for (Iterator<Task> it = ready.iterator(); it.hasNext(); ) {
      Task t = it.next();
      if (!t.item.lease().active()) {
        it.remove();
        gone.add(t);
      }
    }
    for (Iterator<Task> it = waiting.iterator(); it.hasNext(); ) {
      Task t = it.next();
      if (!t.item.lease().active()) {
        it.remove();
        vertx.cancelTimer(t.retryTimer);
        gone.add(t);
      }
    }
    return gone;
  }
}
