package dev.pew.event;

import java.util.Objects;

/**
 * Where an input record was read: the {@code source} object of a result event. Immutable and
 * thread-safe.
 */
public record Source(String topic, int partition, long offset) {

  public Source {
    Objects.requireNonNull(topic, "topic");
  }

  /** The coordinates of {@code record}. */
  public static Source of(InboundRecord record) {
    return new Source(record.topic(), record.partition(), record.offset());
  }
}
