package dev.pew.dispatch;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls started and not answered, oldest first, and the sweep that ends each call the API client
 * left unanswered for {@code callDeadlineMs}: it is handed to {@code timedOut} with a retryable
 * timeout verdict, as if the client had answered so, so that its permit comes back whatever the
 * client does.
 *
 * <p>Guarantee: a call ends once: whichever of its answer ({@link #answered}) and the sweep comes
 * first takes it out, and the other then finds it gone. Not thread-safe: runs on the dispatcher's
 * event loop (the sweep is a periodic timer there, every second).
 */
final class CallDeadlines {

  /** Under the dispatcher's name, as these lines always were. */
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final long SWEEP_MS = 1000;

  private final Vertx vertx;
  private final Clock clock;
  private final long callDeadlineMs;
  private final BiConsumer<Task, Verdict> timedOut;
  private final Set<Task> calling = new LinkedHashSet<>();
  private final long sweepTimer;

  CallDeadlines(Vertx vertx, Clock clock, long callDeadlineMs, BiConsumer<Task, Verdict> timedOut) {
    this.vertx = vertx;
    this.clock = clock;
    this.callDeadlineMs = callDeadlineMs;
    this.timedOut = timedOut;
    this.sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
  }

  /** A call of {@code t} started now ({@code t.callStartedAt}). */
  void started(Task t) {
    calling.add(t);
  }

  /** Takes {@code t}'s call out; false when it was not in (the sweep ended it already). */
  boolean answered(Task t) {
    return calling.remove(t);
  }

  /** Stops the sweep. */
  void close() {
    vertx.cancelTimer(sweepTimer);
  }

  private void sweep() {
    long expired = clock.millis() - callDeadlineMs;
    List<Task> late = new ArrayList<>();
    for (Task t : calling) {
      if (t.callStartedAt > expired) {
        break; // oldest first
      }
      late.add(t);
    }
    for (Task t : late) {
      t.item.tag(LOG.atWarn()).log("{}: no answer from the API client within {} ms; counted as a timeout", t.item,
          callDeadlineMs);
      timedOut.accept(t, new Verdict.Retry("no answer within " + callDeadlineMs + " ms", null, false, -1));
    }
  }
}
