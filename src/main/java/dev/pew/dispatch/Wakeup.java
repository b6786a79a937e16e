package dev.pew.dispatch;

import io.vertx.core.Vertx;
import java.time.Clock;

/** One timer that runs an action at the earliest time asked for so far. Confined to one event loop. */
final class Wakeup {

  private final Vertx vertx;
  private final Clock clock;
  private final Runnable action;
  private long timer = -1;
  private long at = Long.MAX_VALUE;

  Wakeup(Vertx vertx, Clock clock, Runnable action) {
    this.vertx = vertx;
    this.clock = clock;
    this.action = action;
  }

  /** Runs the action in {@code millis}, unless it is due sooner already. */
  void in(long millis) {
    long when = clock.millis() + millis;
    if (timer >= 0 && at <= when) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    at = when;
    timer = vertx.setTimer(Math.max(1, millis), id -> {
      timer = -1;
      at = Long.MAX_VALUE;
      action.run();
    });
  }
}
