package dev.pew.dispatch;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides when the worker stops calling the API because the API, not the event, is the problem, and
 * when it may call again.
 *
 * <p>Two reasons to hold: an <b>outage</b>, recognised when a run of consecutive retryable failures
 * (5xx, timeouts, connection errors; no other answer in between) reaches {@code holdAfterFailures}
 * and spans at least two different events (so one poisoned event cannot stop the worker); and a
 * refused <b>credential</b> (401/403 with {@code ON_AUTH_FAILURE=hold}). While holding, calls are
 * made one at a time as probes on a backoff; the first probe that gets an answer other than a
 * retryable failure or a refused credential ends the hold, and the worker resumes at full speed.
 *
 * <p>Guarantee: attempts are never spent while holding ({@link Decision#REFUND}), and an event whose
 * last attempt fails while the failures span several events holds the worker instead of failing, so
 * an outage of any length fails no event. A single event that keeps failing while others succeed
 * still ends as {@code RETRIES_EXHAUSTED}.
 *
 * <p>Confined to the dispatcher's event loop, except {@link #reason()} and {@link #heldMillis()},
 * which are safe from any thread (intake, health checks and metrics read them). Time comes from the
 * injected clock.
 */
public final class HoldController {

  /** Why the worker holds. */
  public enum Reason {
    OUTAGE,
    CREDENTIALS
  }

  /** What to do with an event whose call just failed in a retryable way. */
  public enum Decision {
    /** Retry it after its backoff; the attempt counts. */
    RETRY,
    /** The worker holds: the attempt does not count; put the event back at the head of the queue. */
    REFUND,
    /** It had its last attempt and the API works for others: fail it as RETRIES_EXHAUSTED. */
    EXHAUSTED
  }

  /**
   * Told of the holds this instance decided itself, not of those it adopted: what a fleet shares
   * with its other members. On the dispatcher's event loop.
   */
  public interface Origin {
    Origin NONE = new Origin() {
      @Override
      public void started(Reason reason, String cause) {}

      @Override
      public void ended() {}
    };

    /** This instance started holding (or its reason changed). */
    void started(Reason reason, String cause);

    /** A probe of this instance was answered: the hold is over. */
    void ended();
  }

  /** Told about every change of state, on the dispatcher's event loop. */
  public interface Listener {
    void holdStarted(Reason reason, String cause);

    void holdReasonChanged(Reason reason, String cause);

    void holdEnded(Reason reason, long heldMillis);
  }

  private final int holdAfterFailures;
  private final Backoff probeBackoff;
  private final Clock clock;
  private final Listener listener;
  private Origin origin = Origin.NONE;
  private volatile boolean probeGranted = true;

  private volatile Reason reason;
  private volatile long startedAt;
  private long nextProbeAt;
  private int probesFailed;
  private boolean probeInFlight;
  private volatile long heldBeforeMillis;

  private int run;
  private final Set<String> runEvents = new HashSet<>();

  public HoldController(int holdAfterFailures, Backoff probeBackoff, Clock clock, Listener listener) {
    this.holdAfterFailures = holdAfterFailures;
    this.probeBackoff = probeBackoff;
    this.clock = clock;
    this.listener = listener;
  }

  public boolean holding() {
    return reason != null;
  }

  /** The reason of the current hold, or null when running. Safe from any thread. */
  public Reason reason() {
    return reason;
  }

  /** Milliseconds until the next probe may start (0: now). Only meaningful while holding. */
  public long probeWaitMillis() {
    return Math.max(0, nextProbeAt - clock.millis());
  }

  /** Shares this instance's own holds with {@code origin} (the fleet); once, at wiring time. */
  public void shareWith(Origin origin) {
    this.origin = origin;
  }

  /**
   * Holds because another member of the fleet does; {@code cause} says who and why. Attempts are
   * not spent and probes follow {@link #probeGranted}, as for a hold of its own.
   */
  public void adopt(Reason r, String cause) {
    if (reason == null) {
      startedAt = clock.millis();
      reason = r;
      probesFailed = 0;
      nextProbeAt = startedAt + probeBackoff.delayMillis(1);
      listener.holdStarted(r, cause);
    } else if (reason != r && r == Reason.CREDENTIALS) {
      reason = r;
      listener.holdReasonChanged(r, cause);
    }
  }

  /** Another member's probe was answered: the hold is over for the whole fleet. */
  public void adoptEnd() {
    end();
  }

  /** Whether this instance may probe now: always alone; in a fleet only the member chosen to probe. */
  public boolean mayProbe() {
    return probeGranted;
  }

  /** Lets this instance probe, or not (the fleet chooses one member to probe for all). */
  public void probeGranted(boolean granted) {
    this.probeGranted = granted;
  }

  public boolean probeInFlight() {
    return probeInFlight;
  }

  public void probeStarted() {
    probeInFlight = true;
  }

  /** A probe came back; when the hold goes on, the next probe waits a little longer. */
  public void probeEnded() {
    probeInFlight = false;
    if (reason != null) {
      probesFailed++;
      nextProbeAt = clock.millis() + probeBackoff.delayMillis(Math.min(probesFailed + 1, 30));
    }
  }

  /** Probe at once (the credential was rotated, say). */
  public void probeNow() {
    if (reason != null) {
      nextProbeAt = clock.millis();
    }
  }

  /** The API gave an answer that is not a retryable failure nor a refused credential. */
  public void apiAnswered() {
    run = 0;
    runEvents.clear();
    if (reason != null) {
      end();
      origin.ended();
    }
  }

  private void end() {
    if (reason != null) {
      Reason ended = reason;
      long held = clock.millis() - startedAt;
      heldBeforeMillis += held;
      reason = null;
      listener.holdEnded(ended, held);
    }
  }

  /** 401/403 with {@code ON_AUTH_FAILURE=hold}: hold until a probe is accepted. */
  public void credentialRefused(String cause) {
    if (reason == Reason.CREDENTIALS) {
      return;
    }
    if (reason == Reason.OUTAGE) {
      reason = Reason.CREDENTIALS;
      listener.holdReasonChanged(reason, cause);
      origin.started(reason, cause);
      return;
    }
    start(Reason.CREDENTIALS, cause);
  }

  /**
   * A retryable failure (5xx, timeout, connection error) for event {@code eventId};
   * {@code lastAttempt} when that event has no attempt left.
   */
  public Decision retryableFailure(String eventId, boolean lastAttempt, String cause) {
    if (reason != null) {
      return Decision.REFUND;
    }
    run++;
    if (runEvents.size() < 2) {
      runEvents.add(eventId);
    }
    boolean spread = runEvents.size() >= 2;
    if (holdAfterFailures > 0 && spread && (run >= holdAfterFailures || lastAttempt)) {
      start(Reason.OUTAGE, cause);
      return Decision.REFUND;
    }
    return lastAttempt ? Decision.EXHAUSTED : Decision.RETRY;
  }

  /** Time spent holding since start, including the current hold. Safe from any thread (a moment old). */
  public long heldMillis() {
    Reason r = reason;
    return heldBeforeMillis + (r == null ? 0 : clock.millis() - startedAt);
  }

  private void start(Reason r, String cause) {
    startedAt = clock.millis(); // before reason: readers on other threads check reason first
    reason = r;
    probesFailed = 0;
    nextProbeAt = startedAt + probeBackoff.delayMillis(1);
    listener.holdStarted(r, cause);
    origin.started(r, cause);
  }
}
