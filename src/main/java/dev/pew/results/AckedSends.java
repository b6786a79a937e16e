package dev.pew.results;

import dev.pew.dispatch.Backoff;
import dev.pew.dispatch.ExponentialJitterBackoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part both publishers share: a record handed to {@link #send} goes to Kafka's producer straight
 * from the event loop and is sent again until Kafka acknowledges it, and its future completes on
 * {@code context}. The producer must not block ({@code max.block.ms=0}, as
 * {@code KafkaClients.eventLoopProducer} sets): a send that would wait for metadata or buffer space
 * is then refused at once, and retried as below, instead of keeping the event loop.
 *
 * <p>Guarantee: the future succeeds only once Kafka acknowledged the record; it fails only with
 * {@link RecordTooLargeException} (the same bytes cannot succeed) or when {@link #close} was called
 * before the record got through. A refused send waits for the next retry round: every send waiting
 * shares one timer, and the delay before round {@code n} is {@code backoff.delayMillis(n)}, where
 * {@code n} counts rounds since the last acknowledgement, not records (a broker outage with 64
 * records waiting is one timer and one backoff, not 64).
 *
 * <p>Answers come back per burst, not per record: the producer's I/O thread completes the callbacks
 * of a whole produce response one after the other, and they go to the event loop as one task that
 * takes all that arrived (an enqueue per record, a hand-over per burst).
 *
 * <p>Threading: {@link #send} and {@link #close} on {@code context}; {@link #failing} from any thread.
 */
final class AckedSends {

  private static final Logger LOG = LoggerFactory.getLogger(AckedSends.class);

  /** Both publishers' delay before each retry round of refused sends: 200 ms up to 5 s, jittered. */
  static final Backoff RETRY = ExponentialJitterBackoff.of(200, 5000);

  /** How long {@link #warm} asks for a topic's metadata before leaving it to the first send. */
  static final Duration WARM_WITHIN = Duration.ofSeconds(10);

  /** How often {@link #warm} asks. */
  static final long WARM_POLL_MS = 20;

  /** What a publisher does when its sends stop or start getting through. Called on {@code context}. */
  interface Listener {
    /**
     * A send was refused; {@code first} when this refusal starts a run of them (the sends got through
     * before it). A {@link RecordTooLargeException} never starts one: it is failed, not retried.
     */
    void refused(ProducerRecord<byte[], byte[]> record, Exception error, boolean first);

    /** A send got through after refusals that began {@code after} ago. */
    void recovered(Duration after);

    Listener NONE = new Listener() {
      @Override
      public void refused(ProducerRecord<byte[], byte[]> record, Exception error, boolean first) {}

      @Override
      public void recovered(Duration after) {}
    };
  }

  private final Context context;
  private final Producer<byte[], byte[]> producer;
  private final Backoff backoff;
  private final Clock clock;
  private final Listener listener;

  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ArrayDeque<Answer> waiting = new ArrayDeque<>();
  private volatile boolean failing;
  private volatile boolean closed; // read by the fetch ahead's worker thread too
  private long failingSince;
  private long retryTimer = -1;
  private int round;

  AckedSends(Context context, Producer<byte[], byte[]> producer, Backoff backoff, Clock clock, Listener listener) {
    this.context = context;
    this.producer = producer;
    this.backoff = backoff;
    this.clock = clock;
    this.listener = listener;
  }

  Future<Void> send(ProducerRecord<byte[], byte[]> record) {
    Promise<Void> promise = Promise.promise();
    attempt(new Answer(record, promise));
    return promise.future();
  }

  /**
   * Fetches the metadata of {@code topics} on worker threads, so that the first sends to them are not
   * refused for the lack of it. The producer should not block ({@code max.block.ms=0}, as
   * {@code KafkaClients.eventLoopProducer} sets): {@code partitionsFor} then answers at once, and is
   * asked again every {@value #WARM_POLL_MS} ms until Kafka's I/O thread has fetched the topic, for up
   * to {@link #WARM_WITHIN} by {@code clock}. Best effort, never fails: a topic not fetched by then is
   * fetched by its first send, which is refused and retried meanwhile. Any thread.
   */
  Future<Void> warm(List<String> topics) {
    return Future.all(topics.stream().map(t -> context.<Object>executeBlocking(() -> describe(t), false)
        .recover(e -> {
          if (!closed) {
            // The broker is away, or the topic is missing and Kafka does not create it: its sends will be
            // refused and retried until it can be written, so say so now rather than at the first send.
            LOG.warn("topic {}: its metadata could not be fetched at start ({}); sends to it are refused and "
                + "retried until it can be written", t, e.toString());
          }
          return Future.succeededFuture();
        })).toList()).mapEmpty();
  }

  /** On a worker thread: {@code partitionsFor} until it answers, {@link #WARM_WITHIN} has passed or this closes. */
  private Object describe(String topic) throws InterruptedException {
    long deadline = clock.millis() + WARM_WITHIN.toMillis();
    while (!closed) {
      try {
        return producer.partitionsFor(topic);
      } catch (TimeoutException e) { // not fetched yet: the call asked Kafka's I/O thread to
        if (clock.millis() >= deadline) {
          throw e;
        }
        Thread.sleep(WARM_POLL_MS);
      }
    }
    return null; // closed meanwhile: nothing to warm for
  }

  /** Whether the last answer was a refusal and nothing got through since. */
  boolean failing() {
    return failing;
  }

  /** Stops retrying and fails every send waiting for a retry; sends already with Kafka still answer. */
  void close() {
    closed = true;
    if (retryTimer >= 0) {
      context.owner().cancelTimer(retryTimer);
      retryTimer = -1;
    }
    for (Answer a : waiting) {
      a.promise.tryFail("publisher closed");
    }
    waiting.clear();
  }

  private void attempt(Answer a) {
    if (closed) {
      a.promise.tryFail("publisher closed");
      return;
    }
    try {
      producer.send(a.record, (meta, error) -> arrived(a, error));
    } catch (RuntimeException e) {
      arrived(a, e); // closed, a serializer's failure, ...
    }
  }

  /** Any thread: the producer's I/O thread, or the event loop when {@code send} threw. */
  private void arrived(Answer a, Exception error) {
    a.error = error;
    answers.add(a);
    if (drainScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    // Cleared before taking, so that an answer added meanwhile is taken here or schedules a drain.
    drainScheduled.set(false);
    Answer a;
    while ((a = answers.poll()) != null) {
      answered(a);
    }
  }

  private void answered(Answer a) {
    Exception error = a.error;
    if (error == null) {
      round = 0;
      if (failing) {
        failing = false;
        listener.recovered(Duration.ofMillis(Math.max(0, clock.millis() - failingSince)));
      }
      a.promise.tryComplete();
      return;
    }
    if (error instanceof RecordTooLargeException) {
      // Not Kafka being unavailable: the caller may send a smaller record, intake goes on.
      listener.refused(a.record, error, false);
      a.promise.tryFail(error);
      return;
    }
    boolean first = !failing;
    if (first) {
      failing = true;
      failingSince = clock.millis();
    }
    listener.refused(a.record, error, first);
    if (closed) {
      a.promise.tryFail("publisher closed");
      return;
    }
    a.error = null;
    waiting.add(a);
    if (retryTimer < 0) {
      round++;
      retryTimer = context.owner().setTimer(Math.max(1, backoff.delayMillis(round)), id -> {
        retryTimer = -1;
        Answer[] batch = waiting.toArray(new Answer[0]);
        waiting.clear();
        for (Answer b : batch) {
          attempt(b);
        }
      });
    }
  }

  /** One send: its record, its promise, and (between the I/O thread and the drain) its answer. */
  private static final class Answer {
    final ProducerRecord<byte[], byte[]> record;
    final Promise<Void> promise;
    Exception error; // written before the queue's add, read after its poll: the queue publishes it

    Answer(ProducerRecord<byte[], byte[]> record, Promise<Void> promise) {
      this.record = record;
      this.promise = promise;
    }
  }
}
