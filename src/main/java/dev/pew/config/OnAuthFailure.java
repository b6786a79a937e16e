package dev.pew.config;

/**
 * What the worker does when the API answers 401 or 403 ({@code ON_AUTH_FAILURE}; config values
 * {@code hold} / {@code fail}, case-insensitive). Immutable and thread-safe.
 */
public enum OnAuthFailure {
  /** Stop dispatching, report not-ready and probe until the credentials work again (default). */
  HOLD,
  /** Publish the event as failed with {@code UNAUTHORIZED} or {@code FORBIDDEN}. */
  FAIL
}
