package dev.pew.event;

/**
 * Why an onboarding event ended up on the failure topic. The names are part of the external
 * contract ({@code error.category} in the result event and the {@code error-category} header of a
 * dead-letter copy): never rename one.
 */
public enum ErrorCategory {
  /** The record could not be parsed or validated; no call was made. */
  INVALID_EVENT(false),
  /** 401 from the API with {@code ON_AUTH_FAILURE=fail}. */
  UNAUTHORIZED(false),
  /** 403 from the API with {@code ON_AUTH_FAILURE=fail}. */
  FORBIDDEN(false),
  /** 404 from the API. */
  NOT_FOUND(false),
  /** 409 from the API. */
  CONFLICT(false),
  /** 400 or any other 4xx the contract does not name. */
  REJECTED(false),
  /** A retryable answer (429, 5xx, timeout, connection error) on the last allowed attempt. */
  RETRIES_EXHAUSTED(true);

  private final boolean retryable;

  ErrorCategory(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether replaying the event later could succeed without changing it ({@code error.retryable}). */
  public boolean retryable() {
    return retryable;
  }
}
