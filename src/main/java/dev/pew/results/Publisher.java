package dev.pew.results;

import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends one record and keeps at it until Kafka acknowledges it ({@link ResultPublisher}, {@link
 * DirectPublisher}). The future fails only with {@link
 * org.apache.kafka.common.errors.RecordTooLargeException} (the same bytes cannot succeed) or when the
 * publisher closed. Use from one event loop; {@link #failing()} from any thread.
 */
public interface Publisher {

  Future<Void> send(ProducerRecord<byte[], byte[]> record);

  /** Whether the last send failed and none has got through since. */
  boolean failing();
}
