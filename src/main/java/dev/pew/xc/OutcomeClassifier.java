package dev.pew.xc;

import dev.pew.config.OnAuthFailure;
import dev.pew.dispatch.Verdict;
import dev.pew.event.ErrorCategory;
import java.time.Clock;

/**
 * The contract's outcome table as code: an {@link XcResponse} in, a {@link Verdict} out.
 *
 * <p>Statuses the contract does not name: other 5xx are retried (the event is not lost, and
 * attempts bound the effort); 1xx and 3xx are definitive {@code REJECTED} (redirects are not
 * followed: the configured URL is wrong). Stateless and thread-safe.
 */
public final class OutcomeClassifier {

  private final OnAuthFailure onAuthFailure;
  private final long retryAfterMaxMs;
  private final Clock clock;

  public OutcomeClassifier(OnAuthFailure onAuthFailure, long retryAfterMaxMs, Clock clock) {
    this.onAuthFailure = onAuthFailure;
    this.retryAfterMaxMs = retryAfterMaxMs;
    this.clock = clock;
  }

  public Verdict classify(XcResponse r) {
    if (!r.hasStatus()) {
      return new Verdict.Retry(r.detail(), null, false, -1);
    }
    int s = r.status();
    if (s >= 200 && s < 300) {
      return new Verdict.Sent(s);
    }
    String message = "HTTP " + s + " from send_password_email";
    switch (s) {
      case 429:
        return new Verdict.Retry(message, s, true, retryAfter(r));
      case 500:
      case 502:
      case 503:
      case 504:
        return new Verdict.Retry(message, s, false, retryAfter(r));
      case 401:
      case 403: {
        if (onAuthFailure == OnAuthFailure.HOLD) {
          return new Verdict.CredentialRefused(message, s);
        }
        ErrorCategory c = s == 401 ? ErrorCategory.UNAUTHORIZED : ErrorCategory.FORBIDDEN;
        return new Verdict.Failed(c, message, s);
      }
      case 404:
        return new Verdict.Failed(ErrorCategory.NOT_FOUND, message, s);
      case 409:
        return new Verdict.Failed(ErrorCategory.CONFLICT, message, s);
      default:
        if (s >= 500) {
          return new Verdict.Retry(message, s, false, retryAfter(r));
        }
        return new Verdict.Failed(ErrorCategory.REJECTED, message, s);
    }
  }

  private long retryAfter(XcResponse r) {
    if (r.retryAfter() == null) {
      return -1;
    }
    return RetryAfter.millis(r.retryAfter(), clock).stream().map(ms -> Math.min(ms, retryAfterMaxMs)).findFirst().orElse(-1);
  }
}
