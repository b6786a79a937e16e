package dev.pew.dispatch;

import dev.pew.event.ErrorCategory;
import dev.pew.ops.WorkerMetrics;
import dev.pew.xc.OutcomeClassifier;
import dev.pew.xc.Verdict;
import dev.pew.xc.XcClient;
import dev.pew.xc.XcResponse;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts calls for valid work items under every limit the worker keeps, and turns each answer into a
 * final verdict or a retry.
 *
 * <p>A call starts only when all of these allow it: a {@link Bulkhead} permit ({@code MAX_IN_FLIGHT}
 * calls outstanding at most), a {@link RateLimiter} permit (retries and probes count), no
 * {@code Retry-After} pause from a 429 (it pauses every call of the worker, not just the event that
 * got it), and the {@link HoldController} (while holding, one probe at a time on a backoff). An item
 * waiting for its retry sits on a timer and holds no permit, so it blocks no other item; when its
 * time comes it goes back to the head of the queue. Attempts spent while holding, and on 429s (the
 * API asked us to wait, the event is not at fault), are not counted against {@code MAX_ATTEMPTS};
 * the result event's {@code attempts} still reports every call made.
 *
 * <p>Guarantee: every submitted item ends exactly once, in {@link Outcomes#finished} or {@link
 * Outcomes#released}. Not thread-safe: all methods run on one Vert.x event loop.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Vertx vertx;
  private final XcClient client;
  private final OutcomeClassifier classifier;
  private final DispatchOptions options;
  private final Backoff backoff;
  private final RateLimiter rateLimiter;
  private final HoldController hold;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final Outcomes outcomes;

  private final Bulkhead bulkhead;
  private final Deque<WorkItem> ready = new ArrayDeque<>();
  private final Set<WorkItem> waitingRetry = new LinkedHashSet<>();
  private long pausedUntil;
  private long wakeTimer = -1;
  private long wakeAt = Long.MAX_VALUE;

  public Dispatcher(Vertx vertx, XcClient client, OutcomeClassifier classifier, DispatchOptions options,
      Backoff backoff, RateLimiter rateLimiter, HoldController hold, Clock clock, WorkerMetrics metrics,
      Outcomes outcomes) {
    this.vertx = vertx;
    this.client = client;
    this.classifier = classifier;
    this.options = options;
    this.backoff = backoff;
    this.rateLimiter = rateLimiter;
    this.hold = hold;
    this.clock = clock;
    this.metrics = metrics;
    this.outcomes = outcomes;
    this.bulkhead = new Bulkhead(options.maxInFlight());
  }

  /** Queues a valid item; it starts as soon as the limits allow. */
  public void submit(WorkItem item) {
    ready.addLast(item);
    pump();
  }

  /** Calls outstanding now. */
  public int inFlight() {
    return bulkhead.inUse();
  }

  /** Highest number of calls outstanding at once since start. */
  public int peakInFlight() {
    return bulkhead.peak();
  }

  public HoldController hold() {
    return hold;
  }

  /** Whether a 429's {@code Retry-After} currently pauses every call. */
  public boolean throttled() {
    return pausedUntil > clock.millis();
  }

  /** Re-evaluates the limits, e.g. after a hold ended or the credential was rotated. */
  public void wake() {
    pump();
  }

  /**
   * Releases every queued or retry-waiting item whose lease ended. Items in flight finish their call
   * first (see {@link #onAnswer}). Returns how many were released.
   */
  public int releaseInactive() {
    return release(item -> !item.lease().active());
  }

  /** Releases every item that is not in flight (shutdown). Returns how many. */
  public int releaseAllQueued() {
    return release(item -> true);
  }

  private int release(Predicate<WorkItem> which) {
    List<WorkItem> gone = new ArrayList<>();
    for (Iterator<WorkItem> it = ready.iterator(); it.hasNext(); ) {
      WorkItem item = it.next();
      if (which.test(item)) {
        it.remove();
        gone.add(item);
      }
    }
    for (Iterator<WorkItem> it = waitingRetry.iterator(); it.hasNext(); ) {
      WorkItem item = it.next();
      if (which.test(item)) {
        it.remove();
        vertx.cancelTimer(item.retryTimer);
        item.retryTimer = -1;
        gone.add(item);
      }
    }
    gone.forEach(outcomes::released);
    return gone.size();
  }

  private boolean pumping;
  private boolean pumpAgain;

  /**
   * Starts every call the limits allow. Not re-entrant: an answer that completes synchronously (a
   * failed connection, a test double) asks the running pump to go round again instead of nesting.
   */
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
    while (!ready.isEmpty()) {
      WorkItem head = ready.peekFirst();
      if (!head.lease().active()) {
        ready.pollFirst();
        outcomes.released(head);
        continue;
      }
      long now = clock.millis();
      if (pausedUntil > now) {
        wakeIn(pausedUntil - now);
        return;
      }
      boolean probe = false;
      if (hold.holding()) {
        if (hold.probeInFlight()) {
          return;
        }
        long wait = hold.probeWaitMillis();
        if (wait > 0) {
          wakeIn(wait);
          return;
        }
        probe = true;
      }
      if (!bulkhead.tryAcquire()) {
        return; // a finishing call pumps again
      }
      long wait = rateLimiter.tryAcquire();
      if (wait > 0) {
        bulkhead.release();
        metrics.rateLimitWait();
        wakeIn(wait);
        return;
      }
      ready.pollFirst();
      start(head, probe);
    }
  }

  private void start(WorkItem item, boolean probe) {
    item.calls++;
    item.charged++;
    if (probe) {
      hold.probeStarted();
    }
    client.send(item.event()).onComplete(ar -> onAnswer(item, probe, ar.result()));
  }

  private void onAnswer(WorkItem item, boolean probe, XcResponse response) {
    bulkhead.release();
    metrics.call(response.label(), response.latencyNanos());
    Verdict verdict = classifier.classify(response);
    item.lastHttpStatus = verdict.httpStatus();
    item.lastError = response.detail();
    try {
      decide(item, verdict);
    } finally {
      if (probe) {
        hold.probeEnded();
      }
    }
    pump();
  }

  private void decide(WorkItem item, Verdict verdict) {
    if (verdict instanceof Verdict.Sent || verdict instanceof Verdict.Failed) {
      hold.apiAnswered();
      outcomes.finished(item, verdict);
      return;
    }
    if (verdict instanceof Verdict.CredentialRefused refused) {
      item.charged--;
      hold.credentialRefused(refused.message());
      requeue(item, "hold");
      return;
    }
    Verdict.Retry retry = (Verdict.Retry) verdict;
    if (retry.throttled()) {
      // The API answers and asks us to slow down: it is not an outage, and not the event's fault.
      item.charged--;
      hold.apiAnswered();
      long pause = retry.retryAfterMillis() >= 0 ? retry.retryAfterMillis() : options.backoffInitialMs();
      pausedUntil = Math.max(pausedUntil, clock.millis() + pause);
      requeue(item, "throttled");
      return;
    }
    boolean last = item.charged >= options.maxAttempts();
    switch (hold.retryableFailure(item.eventId(), last, retry.message())) {
      case REFUND -> {
        item.charged--;
        requeue(item, "hold");
      }
      case EXHAUSTED -> outcomes.finished(item, new Verdict.Failed(ErrorCategory.RETRIES_EXHAUSTED,
          "gave up after " + item.charged + " attempts; last: " + retry.message(), retry.httpStatus()));
      case RETRY -> scheduleRetry(item, retry);
    }
  }

  private void requeue(WorkItem item, String reason) {
    if (!item.lease().active()) {
      outcomes.released(item);
      return;
    }
    metrics.retry(reason);
    ready.addFirst(item);
  }

  private void scheduleRetry(WorkItem item, Verdict.Retry retry) {
    if (!item.lease().active()) {
      outcomes.released(item);
      return;
    }
    metrics.retry("retryable");
    long delay = Math.max(backoff.delayMillis(item.charged), retry.retryAfterMillis());
    item.tag(LOG.atDebug()).log("{}: {} on attempt {}, retrying in {} ms", item, retry.message(), item.charged, delay);
    waitingRetry.add(item);
    item.retryTimer = vertx.setTimer(Math.max(1, delay), id -> {
      item.retryTimer = -1;
      if (waitingRetry.remove(item)) {
        ready.addFirst(item);
        pump();
      }
    });
  }

  private void wakeIn(long millis) {
    long at = clock.millis() + millis;
    if (wakeTimer >= 0 && wakeAt <= at) {
      return;
    }
    if (wakeTimer >= 0) {
      vertx.cancelTimer(wakeTimer);
    }
    wakeAt = at;
    wakeTimer = vertx.setTimer(Math.max(1, millis), id -> {
      wakeTimer = -1;
      wakeAt = Long.MAX_VALUE;
      pump();
    });
  }
}
