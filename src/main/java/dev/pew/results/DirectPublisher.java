package dev.pew.results;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends with Kafka's own producer, straight from the event loop and back on {@code context}: no hop
 * through a worker thread, for sends whose latency a call's permit waits for (the ledger). Give it
 * {@code KafkaClients.eventLoopProducer}'s properties ({@code max.block.ms=0}), so that its
 * {@code send} never blocks that loop.
 *
 * <p>Guarantee: as {@link Publisher}; a refused send is retried until Kafka acknowledges it or the
 * publisher closes, every waiting send on one timer, rounds apart as {@link AckedSends#RETRY}
 * says. Use from {@code context}; {@link #failing()} from any thread.
 */
public final class DirectPublisher implements Publisher {

  private static final Logger LOG = LoggerFactory.getLogger(DirectPublisher.class);

  private final Context context;
  private final Producer<byte[], byte[]> producer;
  private final AckedSends sends;

  public DirectPublisher(Context context, Map<String, String> props, Clock clock) {
    this(context, new KafkaProducer<>(new HashMap<String, Object>(props), new ByteArraySerializer(), new ByteArraySerializer()),
        clock);
  }

  DirectPublisher(Context context, Producer<byte[], byte[]> producer, Clock clock) {
    this.context = context;
    this.producer = producer;
    this.sends = new AckedSends(context, producer, AckedSends.RETRY, clock, new AckedSends.Listener() {
      @Override
      public void refused(ProducerRecord<byte[], byte[]> record, Exception error, boolean first) {
        if (first) {
          LOG.warn("cannot write to {}: {}; retrying until Kafka accepts it", record.topic(), error.toString());
        }
      }

      @Override
      public void recovered(Duration after) {
        LOG.info("writes reach Kafka again after {} s", after.toSeconds());
      }
    });
  }

  /** Fetches the metadata of {@code topics} ahead, off the event loop: as {@link AckedSends#warm}. */
  public Future<Void> warm(List<String> topics) {
    return sends.warm(topics);
  }

  @Override
  public Future<Void> send(ProducerRecord<byte[], byte[]> record) {
    return sends.send(record);
  }

  @Override
  public boolean failing() {
    return sends.failing();
  }

  /**
   * Stops retrying (the sends waiting for a retry fail), then closes the producer on a worker thread,
   * waiting up to {@code timeout} for what it still holds. Call on {@code context}.
   */
  public Future<Void> close(Duration timeout) {
    sends.close();
    return context.executeBlocking(() -> {
      producer.close(timeout);
      return null;
    });
  }
}
