package dev.pew.config;

/** Whose limit {@code RATE_LIMIT_PER_SECOND} is ({@code RATE_LIMIT_SCOPE}). Immutable. */
public enum RateLimitScope {
  /** Each instance's own (default). */
  INSTANCE,
  /** The whole consumer group's: the instances share it. */
  GROUP
}
