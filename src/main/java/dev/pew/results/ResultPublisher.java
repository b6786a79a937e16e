package dev.pew.results;


import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
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
 * that fails (broker unavailable, timeouts) is retried on a backoff for as long as the publisher is
 * open (all waiting sends on one timer with a shared backoff), and {@link #failing()} reports it so the worker holds intake and reports not-ready until a
 * send gets through again. The only failure the future reports is {@link RecordTooLargeException}
 * (retrying the same bytes cannot help; the caller may send a smaller record) or the publisher
 * closing. Use from {@code context}.
 */
public final class ResultPublisher implements Publisher {

  private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);
  private static final long RETRY_INITIAL_MS = 200;
  private static final long RETRY_MAX_MS = 5000;

  private final Context context;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Producer<byte[], byte[]> direct;
  private final ResultMetrics metrics;
  private volatile boolean failing;
  private volatile boolean closed;
  private long failingSince;
  private final java.util.ArrayDeque<Pending> retrying = new java.util.ArrayDeque<>();
  private long retryTimer = -1;
  private int failureRun;

  public ResultPublisher(Context context, KafkaProducer<byte[], byte[]> producer, ResultMetrics metrics) {
    this.context = context;
    this.producer = producer;
    this.direct = producer.unwrap();
    this.metrics = metrics;
    producer.exceptionHandler(e -> LOG.debug("producer reported: {}", e.toString()));
  }

  /**
   * Fetches the metadata of {@code topics} on a worker thread, so that no send waits for it on the
   * event loop. Best effort: a topic that cannot be described now is fetched by its first send.
   */
  public Future<Void> warm(List<String> topics) {
    return Future.all(topics.stream().map(t -> producer.partitionsFor(t).recover(e -> {
      LOG.debug("results: metadata of {} not fetched at start ({})", t, e.toString());
      return Future.succeededFuture();
    })).toList()).mapEmpty();
  }

  /** Whether the last send failed and no send has got through since. Safe from any thread. */
  @Override
  public boolean failing() {
    return failing;
  }

  @Override
  public Future<Void> send(ProducerRecord<byte[], byte[]> record) {
    Promise<Void> promise = Promise.promise();
    attempt(record, promise);
    return promise.future();
  }

  private void attempt(ProducerRecord<byte[], byte[]> record, Promise<Void> promise) {
    if (closed) {
      promise.fail("result publisher closed");
      return;
    }
    try {
      direct.send(record, (meta, error) -> context.runOnContext(v -> answered(record, promise, error)));
    } catch (RuntimeException e) {
      context.runOnContext(v -> answered(record, promise, e)); // closed, buffer full past max.block.ms, ...
    }
  }

  private void answered(ProducerRecord<byte[], byte[]> record, Promise<Void> promise, Exception error) {
    if (error == null) {
      failureRun = 0;
      if (failing) {
        failing = false;
        LOG.info("results reach Kafka again after {} s", (System.currentTimeMillis() - failingSince) / 1000);
      }
      promise.complete();
      return;
    }
    metrics.publishFailure();
    if (error instanceof RecordTooLargeException) {
      promise.fail(error);
      return;
    }
    if (!failing) {
      failing = true;
      failingSince = System.currentTimeMillis();
      LOG.warn("cannot publish to {}: {}; retrying until Kafka accepts it, intake held", record.topic(), error.toString());
    }
    failureRun++;
    retrying.add(new Pending(record, promise));
    if (retryTimer < 0) {
      // One timer for every send waiting, not one per record: a broker outage costs one timer.
      retryTimer = context.owner().setTimer(Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS << Math.min(failureRun, 10)), id -> {
        retryTimer = -1;
        Pending[] batch = retrying.toArray(new Pending[0]);
        retrying.clear();
        for (Pending p : batch) {
          attempt(p.record(), p.promise());
        }
      });
    }
  }

  private record Pending(ProducerRecord<byte[], byte[]> record, Promise<Void> promise) {}

  /** Stops retrying, flushes what is buffered and closes the producer. */
  public Future<Void> close(Duration timeout) {
    closed = true;
    if (retryTimer >= 0) {
      context.owner().cancelTimer(retryTimer);
    }
    retrying.forEach(p -> p.promise().tryFail("result publisher closed"));
    retrying.clear();
    return producer.flush().transform(ar -> producer.close(timeout.toMillis()));
  }
}
