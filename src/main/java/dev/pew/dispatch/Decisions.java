package dev.pew.dispatch;

import dev.pew.event.ErrorCategory;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an answer other than a send does to its item, once its call's permit is back: a final failure
 * ends it; a refused credential or a 429 refunds the attempt and puts it back at the head of the
 * queue (the {@link HoldController} or the {@link Throttle} then decides when it is called again); a
 * retryable failure counts against {@code MAX_ATTEMPTS} and waits its backoff (at least the answer's
 * {@code Retry-After}) on a timer, or ends as {@code RETRIES_EXHAUSTED} when it was the last.
 *
 * <p>Guarantee: every item given to {@link #decide} is ended, requeued or scheduled, exactly one of
 * them; an item whose lease ended is released instead of requeued. Not thread-safe: called on the
 * {@link Dispatcher}'s event loop.
 */
final class Decisions {

  private static final Logger LOG = LoggerFactory.getLogger(Decisions.class);

  private final DispatchOptions options;
  private final Backoff backoff;
  private final HoldController hold;
  private final Throttle throttle;
  private final TaskQueue queue;
  private final Clock clock;
  private final DispatchMetrics metrics;

  Decisions(DispatchOptions options, Backoff backoff, HoldController hold, Throttle throttle, TaskQueue queue, Clock clock,
      DispatchMetrics metrics) {
    this.options = options;
    this.backoff = backoff;
    this.hold = hold;
    this.throttle = throttle;
    this.queue = queue;
    this.clock = clock;
    this.metrics = metrics;
  }

  void decide(Task t, Verdict verdict) {
    if (verdict instanceof Verdict.Failed) {
      hold.apiAnswered();
      t.finish(verdict);
    } else if (verdict instanceof Verdict.CredentialRefused refused) {
      t.charged--;
      hold.credentialRefused(refused.message());
      requeue(t, "hold");
    } else {
      Verdict.Retry retry = (Verdict.Retry) verdict;
      if (retry.throttled()) {
        // The API answers and asks us to slow down: not an outage, and not the event's fault.
        t.charged--;
        hold.apiAnswered();
        throttle.pauseUntil(clock.millis() + (retry.retryAfterMillis() >= 0 ? retry.retryAfterMillis() : options.backoffInitialMs()));
        requeue(t, "throttled");
        return;
      }
      boolean last = t.charged >= options.maxAttempts();
      switch (hold.retryableFailure(t.item.eventId(), last, retry.message())) {
        case REFUND -> {
          t.charged--;
          requeue(t, "hold");
        }
        case EXHAUSTED -> t.finish(new Verdict.Failed(ErrorCategory.RETRIES_EXHAUSTED,
            "gave up after " + t.charged + " attempts; last: " + retry.message(), retry.httpStatus()));
        case RETRY -> scheduleRetry(t, retry);
      }
    }
  }

  private void requeue(Task t, String reason) {
    if (!t.item.lease().active()) {
      t.release();
      return;
    }
    metrics.retry(reason);
    queue.addFirst(t);
  }

  private void scheduleRetry(Task t, Verdict.Retry retry) {
    if (!t.item.lease().active()) {
      t.release();
      return;
    }
    metrics.retry("retryable");
    long delay = Math.max(backoff.delayMillis(t.charged), retry.retryAfterMillis());
    t.item.tag(LOG.atDebug()).log("{}: {} on attempt {}, retrying in {} ms", t.item, retry.message(), t.charged, delay);
    metrics.retryWaited(delay);
    queue.retryIn(t, delay);
  }
}
