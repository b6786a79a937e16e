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

  /** Share group: records acquired on a second or later delivery (the member that held them before crashed, released them or lost their lock). */
  default void redelivered(int records) {}

  /** Share group: acquisition locks the broker renewed (records held longer than half a lock). */
  default void locksRenewed(int records) {}

  /** Share group: acquisition locks lost (not renewed in time, or renewal refused): no new call starts for those records. */
  default void locksLost(int records) {}
}
