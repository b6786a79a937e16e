package dev.pew.results;

import dev.pew.dispatch.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends result and dead-letter records with the Vert.x Kafka producer ({@code acks=all},
 * idempotent) and keeps sending each one until Kafka acknowledges it. A send goes to the Kafka
 * producer underneath straight from the event loop, its answer back on {@code context}: the Vert.x
 * producer's own {@code send} hands every record to a worker thread first, a thread hop per result
 * that buys nothing once the topics' metadata is known, which {@link #warm} fetches at start (off
 * the event loop, like closing).
 *
 * <p>Guarantee: a record handed to {@link #send} is acknowledged before its future succeeds; a send
 * that fails (broker unavailable, timeouts) is retried for as long as the publisher is open, every
 * waiting send on one timer, 200 ms to 5 s apart by retry round ({@link AckedSends#RETRY}),
 * and {@link #failing()} reports it so the worker holds intake and reports not-ready until a send
 * gets through again. The only failure the future reports is {@link org.apache.kafka.common.errors.RecordTooLargeException}
 * (retrying the same bytes cannot help; the caller may send a smaller record) or the publisher
 * closing. Use from {@code context}.
 */
public final class ResultPublisher implements Publisher {

  private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final AckedSends sends;

  public ResultPublisher(Context context, KafkaProducer<byte[], byte[]> producer, ResultMetrics metrics, Clock clock) {
    this(context, producer, metrics, clock, AckedSends.RETRY);
  }

  ResultPublisher(Context context, KafkaProducer<byte[], byte[]> producer, ResultMetrics metrics, Clock clock, Backoff retry) {
    this.producer = producer;
    this.sends = new AckedSends(context, producer.unwrap(), retry, clock, new AckedSends.Listener() {
      @Override
      public void refused(ProducerRecord<byte[], byte[]> record, Exception error, boolean first) {
        metrics.publishFailure();
        if (first) {
          LOG.warn("cannot publish to {}: {}; retrying until Kafka accepts it, intake held", record.topic(), error.toString());
        }
      }

      @Override
      public void recovered(Duration after) {
        LOG.info("results reach Kafka again after {} s", after.toSeconds());
      }
    });
    producer.exceptionHandler(e -> LOG.debug("producer reported: {}", e.toString()));
  }

  /** Fetches the metadata of {@code topics} ahead, off the event loop: as {@link AckedSends#warm}. */
  public Future<Void> warm(List<String> topics) {
    return sends.warm(topics);
  }

  /** Whether the last send failed and no send has got through since. Safe from any thread. */
  @Override
  public boolean failing() {
    return sends.failing();
  }

  @Override
  public Future<Void> send(ProducerRecord<byte[], byte[]> record) {
    return sends.send(record);
  }

  /** Stops retrying, flushes what is buffered and closes the producer. */
  public Future<Void> close(Duration timeout) {
    sends.close();
    return producer.flush().transform(ar -> producer.close(timeout.toMillis()));
  }
}
