package dev.pew.config;

/**
 * In which order events reach the API ({@code ORDERING}; config values {@code unordered} /
 * {@code key}, case-insensitive). Immutable and thread-safe.
 */
public enum Ordering {
  /** Any record may be sent as soon as a slot is free (default, fastest). */
  UNORDERED,
  /** Records with the same Kafka key are sent one after the other, in offset order. */
  KEY
}
