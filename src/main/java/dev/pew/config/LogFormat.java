package dev.pew.config;

/**
 * How log lines are written ({@code LOG_FORMAT}; config values {@code text} / {@code json},
 * case-insensitive). Immutable and thread-safe.
 */
public enum LogFormat {
  /** Plain lines for people (default). */
  TEXT,
  /** One JSON object per line, for log collectors. */
  JSON
}
