package dev.pew.results;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends with Kafka's own producer, straight from the event loop (its {@code send} does not block
 * once the topic's metadata is known) and back on {@code context}: no hop through a worker thread,
 * for sends whose latency a call's permit waits for (the ledger). Retries a failed send once a
 * second until Kafka acknowledges it or the publisher closes. Use from {@code context}.
 */
public final class DirectPublisher implements Publisher {

  private final Context context;
  private final KafkaProducer<byte[], byte[]> producer;
  private volatile boolean failing;
  private volatile boolean closed;

  public DirectPublisher(Context context, Map<String, String> props) {
    this.context = context;
    this.producer = new KafkaProducer<>(new HashMap<String, Object>(props), new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public Future<Void> send(ProducerRecord<byte[], byte[]> record) {
    Promise<Void> promise = Promise.promise();
    attempt(record, promise);
    return promise.future();
  }

  private void attempt(ProducerRecord<byte[], byte[]> record, Promise<Void> promise) {
    if (closed) {
      promise.fail("publisher closed");
      return;
    }
    try {
      producer.send(record, (meta, error) -> context.runOnContext(v -> {
        if (error == null) {
          failing = false;
          promise.complete();
        } else if (error instanceof RecordTooLargeException) {
          promise.fail(error);
        } else {
          failing = true;
          context.owner().setTimer(1000, id -> attempt(record, promise));
        }
      }));
    } catch (RuntimeException e) {
      failing = true;
      context.owner().setTimer(1000, id -> attempt(record, promise));
    }
  }

  @Override
  public boolean failing() {
    return failing;
  }

  /** Stops retrying and closes the producer; blocks up to {@code timeout}: call off the event loop. */
  public void close(Duration timeout) {
    closed = true;
    producer.close(timeout);
  }
}
