package dev.pew.dispatch;

import dev.pew.intake.WorkItem;
import io.vertx.core.Promise;

/** One item submitted to the {@link Dispatcher} and the state of its calls. Confined to the dispatcher's event loop. */
final class Task {

  final WorkItem item;
  final Promise<Outcome> promise = Promise.promise();
  /** Calls made, all of them. */
  int calls;
  /** Calls that count against MAX_ATTEMPTS (not those refunded while holding or throttled). */
  int charged;
  long retryTimer = -1;
  long callStartedAt;
  boolean probe;
  boolean done;

  Task(WorkItem item) {
    this.item = item;
  }

  /** Ends the item with its outcome (once: a later end is ignored). */
  void finish(Verdict verdict) {
    done = true;
    promise.tryComplete(new Outcome(verdict, calls));
  }

  /** Ends the item without an outcome: its lease ended first. */
  void release() {
    done = true;
    promise.tryFail(Released.INSTANCE);
  }
}
