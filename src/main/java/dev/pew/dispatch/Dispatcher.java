package dev.pew.dispatch;

import dev.pew.event.ErrorCategory;
import dev.pew.intake.WorkItem;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts calls for valid work items under every limit the worker keeps, and turns each answer into a
 * final outcome or a retry. A call starts only when a {@link Bulkhead} permit ({@code MAX_IN_FLIGHT}),
 * a {@link RateLimiter} permit (retries and probes count), the {@link Throttle} (a 429's {@code
 * Retry-After} pauses every call) and the {@link HoldController} (while holding, one probe at a time)
 * all allow it. A retry waits on a timer and holds no permit ({@link TaskQueue}). Calls while holding
 * and on 429s are not counted against {@code MAX_ATTEMPTS}; the outcome's {@code attempts} counts
 * every call made.
 *
 * <p>Guarantee: the future of every submitted item completes exactly once: with its {@link Outcome},
 * or failed with {@link Released} when its lease ended first. The permit of a call is given back
 * exactly once whatever the {@link Api} does: a failed future or a synchronous throw is a transport
 * failure (retried, attempts counted), a future that never completes times out after {@code
 * callDeadlineMs}, and a throw while deciding the verdict fails the item as {@code
 * RETRIES_EXHAUSTED} ("internal error") instead of leaving it unfinished. Not thread-safe: all
 * methods run on one Vert.x event loop.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Api api;
  private final RateLimiter rateLimiter;
  private final HoldController hold;
  private final Throttle throttle;
  private final Clock clock;
  private final DispatchMetrics metrics;
  private final Sends sends;
  private final Bulkhead bulkhead;
  private final TaskQueue queue;
  private final CallDeadlines deadlines;
  private final Wakeup wakeup;
  private final Decisions decisions;
  private boolean pumping;
  private boolean pumpAgain;
  /** Whether a first request went out on a connection or a first call ended; see {@link Api#connected()}. */
  private boolean warm;

  public Dispatcher(Vertx vertx, Api api, DispatchOptions options, Backoff backoff, RateLimiter rateLimiter,
      HoldController hold, Throttle throttle, Sends sends, Clock clock, DispatchMetrics metrics) {
    this.api = api;
    this.rateLimiter = rateLimiter;
    this.hold = hold;
    this.throttle = throttle;
    this.clock = clock;
    this.metrics = metrics;
    this.sends = sends;
    this.bulkhead = new Bulkhead(options.maxInFlight());
    this.wakeup = new Wakeup(vertx, clock, this::pump);
    this.queue = new TaskQueue(vertx, this::pump);
    this.decisions = new Decisions(options, backoff, hold, throttle, queue, clock, metrics);
    this.deadlines = new CallDeadlines(vertx, clock, options.callDeadlineMs(), (t, v) -> answered(t, Future.succeededFuture(v)));
    api.connected().onComplete(ar -> {
      warm = true;
      pump();
    });
  }

  /** Stops the deadline sweep (items still queued stay as they are: release them through their leases). */
  public void close() {
    deadlines.close();
  }

  /** Queues a valid item; its call starts as soon as the limits allow. */
  public Future<Outcome> submit(WorkItem item) {
    Task task = new Task(item);
    queue.addLast(task);
    pump();
    return task.promise.future();
  }

  /** Calls outstanding now. */
  public int inFlight() {
    return bulkhead.inUse();
  }

  /** Items that want a call: queued, waiting for a retry, or in flight. What this instance's share of a fleet follows. */
  public int demand() {
    return queue.size() + bulkhead.inUse();
  }

  public HoldController hold() {
    return hold;
  }

  /** The {@code Retry-After} pause every call waits for. */
  public Throttle throttle() {
    return throttle;
  }

  /** Re-evaluates the limits, e.g. after a hold ended or the credential was rotated. */
  public void wake() {
    pump();
  }

  /**
   * Releases every queued or retry-waiting item whose lease ended; items in flight finish their call
   * first. Returns how many were released.
   */
  public int releaseInactive() {
    List<Task> gone = queue.removeInactive();
    gone.forEach(Task::release);
    return gone.size();
  }

  /** Starts every call the limits allow. Not re-entrant: a synchronous answer makes it go round again. */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        pumpOnce();
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  private void pumpOnce() {
    while (!queue.isEmpty()) {
      Task head = queue.peek();
      if (head.done || !head.item.lease().active()) {
        queue.poll();
        head.release();
        continue;
      }
      long pause = throttle.waitMillis();
      if (pause > 0) {
        wakeup.in(pause);
        return;
      }
      boolean probe = hold.holding();
      if (probe && (hold.probeInFlight() || !hold.mayProbe() || hold.probeWaitMillis() > 0)) {
        if (!hold.probeInFlight() && hold.mayProbe()) {
          wakeup.in(hold.probeWaitMillis());
        }
        return; // a granted probe or the end of the hold wakes the dispatcher
      }
      if (!warm && bulkhead.inUse() > 0 && rateLimiter.paces()) {
        return; // a fresh process's first call goes alone until its connection is up: that or its answer pumps again
      }
      if (!bulkhead.tryAcquire()) {
        return; // a finishing call pumps again
      }
      long wait = rateLimiter.tryAcquire();
      if (wait > 0) {
        bulkhead.release();
        if (rateLimiter.limiting()) {
          metrics.rateLimitWait();
        }
        wakeup.in(wait);
        return;
      }
      queue.poll();
      start(head, probe);
    }
  }

  private void start(Task t, boolean probe) {
    t.calls++;
    t.charged++;
    t.callStartedAt = clock.millis();
    t.probe = probe;
    deadlines.started(t);
    if (probe) {
      hold.probeStarted();
    }
    Future<Verdict> answer;
    try {
      answer = api.call(t.item.event());
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(ar -> answered(t, ar));
  }

  /**
   * Ends a call once (its answer or the deadline sweep). The permit returns here, but a send the API
   * accepted keeps it until recorded ({@link Sends}): calls plus unrecorded sends never exceed {@code
   * MAX_IN_FLIGHT}.
   */
  private void answered(Task t, AsyncResult<Verdict> ar) {
    if (!deadlines.answered(t)) {
      return; // the deadline sweep ended this call already
    }
    warm = true; // pumps again in the finally below
    boolean permitHeld = true;
    try {
      Verdict verdict = ar.succeeded() && ar.result() != null ? ar.result()
          : new Verdict.Retry("call failed (" + (ar.cause() == null ? "no verdict" : ar.cause().getClass().getSimpleName())
              + ")", null, false, -1);
      if (verdict instanceof Verdict.Sent sent) {
        hold.apiAnswered();
        Future<Void> recorded = record(t, sent);
        permitHeld = false;
        recorded.onComplete(r -> {
          bulkhead.release();
          t.finish(sent); // recorded or not, the email went out: publish its result
          pump();
        });
        return;
      }
      bulkhead.release();
      permitHeld = false;
      decisions.decide(t, verdict);
    } catch (RuntimeException e) {
      t.item.tag(LOG.atError()).log("{}: internal error deciding its outcome ({}): failing it as RETRIES_EXHAUSTED",
          t.item, e.toString());
      t.finish(new Verdict.Failed(ErrorCategory.RETRIES_EXHAUSTED, "internal error: " + e.getClass().getSimpleName(), null));
    } finally {
      if (permitHeld) {
        bulkhead.release();
      }
      if (t.probe) {
        hold.probeEnded();
      }
      pump();
    }
  }

  private Future<Void> record(Task t, Verdict.Sent sent) {
    try {
      return sends.recorded(t.item, t.calls, sent.httpStatus() == null ? 200 : sent.httpStatus());
    } catch (RuntimeException e) {
      t.item.tag(LOG.atError()).log("{}: could not record its send ({})", t.item, e.toString());
      return Future.failedFuture(e);
    }
  }
}
