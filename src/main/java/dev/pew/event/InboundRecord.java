package dev.pew.event;

import java.util.Objects;
import org.apache.kafka.common.header.Headers;

/**
 * One record as it was read from the input topic, detached from the Kafka consumer so the
 * pipeline can hold it on another thread.
 *
 * <p>{@code key} and {@code value} are the raw bytes; either may be null ({@code value == null} is a
 * tombstone). {@code headers} are never null and must be treated as read-only.
 */
public record InboundRecord(
    String topic, int partition, long offset, byte[] key, byte[] value, Headers headers, long timestamp) {

  public InboundRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(headers, "headers");
  }

  /** {@code <topic>-<partition>-<offset>}: the event id of last resort and a stable log reference. */
  public String coordinates() {
    return topic + "-" + partition + "-" + offset;
  }

  public boolean isTombstone() {
    return value == null;
  }
}
