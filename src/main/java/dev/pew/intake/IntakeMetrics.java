package dev.pew.intake;

import org.apache.kafka.common.TopicPartition;

/** What the intake reports; implemented by the worker's metrics. Implementations are thread-safe. */
public interface IntakeMetrics {

  void consumed(int records);

  /** A record that needed no result: {@code tombstone} or {@code already_done} (finished by a previous owner). */
  void skipped(String reason);

  void commit(long nanos, boolean ok);

  /** Records unfinished when their partition was handed over that were finished and committed before it moved. */
  void handoverDrained(int records);

  /** Records behind the end of an owned input partition. */
  void lag(TopicPartition partition, long records);

  void lagGone(TopicPartition partition);
}
