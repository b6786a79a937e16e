package dev.pew.dispatch;

import dev.pew.intake.WorkItem;
import io.vertx.core.Future;

/**
 * Where the dispatcher records a send the API accepted, before the call's permit returns: so the
 * calls not recorded durably are never more than {@code MAX_IN_FLIGHT}, which bounds what a crash
 * can make the next owner repeat. Called on the dispatcher's event loop.
 */
@FunctionalInterface
public interface Sends {

  /** Completes once the send is recorded (Kafka acknowledged it), or fails when it cannot be. */
  Future<Void> recorded(WorkItem item, int attempts, int httpStatus);

  /** Records nothing. */
  static Sends none() {
    return (item, attempts, httpStatus) -> Future.succeededFuture();
  }
}
