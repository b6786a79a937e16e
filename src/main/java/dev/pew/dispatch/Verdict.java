package dev.pew.dispatch;

import dev.pew.event.ErrorCategory;

/**
 * What the worker does with an answer, per the contract's outcome table: the language between the
 * {@link Api} and the {@link Dispatcher}, which acts on it. Immutable.
 */
public sealed interface Verdict {

  /** The HTTP status to report in the result event, or null when none arrived. */
  Integer httpStatus();

  /** 2xx: the email is on its way. */
  record Sent(Integer httpStatus) implements Verdict {}

  /** A definitive refusal: fail the event now, retrying cannot help. */
  record Failed(ErrorCategory category, String message, Integer httpStatus) implements Verdict {}

  /**
   * Try again later. {@code throttled} marks a 429, whose {@code Retry-After} pauses every call of
   * the worker; {@code retryAfterMillis} is the honoured delay, or -1 when the answer named none.
   */
  record Retry(String message, Integer httpStatus, boolean throttled, long retryAfterMillis) implements Verdict {}

  /** 401/403 with {@code ON_AUTH_FAILURE=hold}: the credential was refused; hold and probe. */
  record CredentialRefused(String message, Integer httpStatus) implements Verdict {}
}
