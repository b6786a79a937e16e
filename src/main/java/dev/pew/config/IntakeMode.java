package dev.pew.config;

/**
 * Where the worker's records come from ({@code INTAKE}; config values {@code group} / {@code
 * share}, case-insensitive). Immutable and thread-safe.
 */
public enum IntakeMode {
  /** A Kafka consumer group: each partition has one owner at a time; offsets are committed (default). */
  GROUP,
  /**
   * A Kafka share group (KIP-932, brokers 4.2+): every member takes records from every partition;
   * each record is acknowledged on its own.
   */
  SHARE
}
