package dev.pew.results;

import dev.pew.dispatch.Outcome;
import dev.pew.dispatch.Verdict;
import dev.pew.event.ErrorCategory;
import dev.pew.event.InboundRecord;
import dev.pew.event.ParsedEvent;
import dev.pew.event.ResultEvent;
import dev.pew.event.ResultHeaders;
import dev.pew.event.Source;
import dev.pew.intake.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the one result of each item (and the dead-letter copy of a failed input when {@code
 * TOPIC_DEAD_LETTER} is set); the returned future succeeds once Kafka acknowledged them.
 *
 * <p>Guarantees: a result Kafka refuses as too large (the copied input headers or the raw value made
 * it so) is sent once more in a minimal form: the contract's fields and the {@code event-id} header;
 * should even that be refused it is retried every 30 s while the item's lease lasts, so an operator
 * can raise the limit, and released when the lease ends. A dead-letter copy Kafka refuses as too
 * large is left out with an error line and a metric: the raw bytes cannot be shrunk, the input
 * record and the failure result still name it. The future fails only when the item is released
 * (lease ended, or the publisher closed): no result, no commit. Use from one event loop.
 */
public final class Results {

  private static final Logger LOG = LoggerFactory.getLogger(Results.class);
  static final long TOO_LARGE_RETRY_MS = 30_000;

  private final Vertx vertx;
  private final ResultTopics topics;
  private final Publisher publisher;
  private final ResultMetrics metrics;
  private final Clock clock;

  public Results(Vertx vertx, ResultTopics topics, Publisher publisher, ResultMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.topics = topics;
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Whether results cannot be published right now. Safe from any thread. */
  public boolean failing() {
    return publisher.failing();
  }

  /** An invalid record: {@code INVALID_EVENT}, no call made, the original value in the result. */
  public Future<Void> invalid(WorkItem item) {
    ParsedEvent.Invalid invalid = (ParsedEvent.Invalid) item.parsed();
    item.tag(LOG.atWarn()).log("{}: invalid event, no call made: {}", item, invalid.reason());
    return publish(item, ResultEvent.invalid(invalid, item.record(), item.receivedAt(), clock.instant()),
        ErrorCategory.INVALID_EVENT, invalid.reason());
  }

  /** A dispatched item's final outcome. */
  public Future<Void> outcome(WorkItem item, Outcome outcome) {
    Instant now = clock.instant();
    Source source = Source.of(item.record());
    if (outcome.verdict() instanceof Verdict.Sent sent) {
      item.tag(LOG.atDebug()).log("{}: sent after {} attempt(s)", item, outcome.attempts());
      return publish(item, ResultEvent.sent(item.event(), outcome.attempts(), sent.httpStatus(), source,
          item.receivedAt(), now), null, null);
    }
    Verdict.Failed failed = (Verdict.Failed) outcome.verdict();
    item.tag(LOG.atWarn()).log("{}: failed as {} after {} attempt(s): {}", item, failed.category(), outcome.attempts(),
        failed.message());
    return publish(item, ResultEvent.failed(item.eventId(), item.event().email(), item.event().cname(),
        outcome.attempts(), failed.httpStatus(), failed.category(), failed.message(), source, item.receivedAt(), now),
        failed.category(), failed.message());
  }

  /**
   * A record on the last delivery its share group allows ({@code share.delivery.count.limit}), not
   * sent before as far as the ledger knows: {@code FAILED} / {@code RETRIES_EXHAUSTED} without a call
   * (retryable: its dead-letter copy can be replayed), so that it does not end without a result when
   * the broker archives it.
   */
  public Future<Void> deliveryLimit(WorkItem item) {
    String message = "delivered " + item.delivery().count() + " times, the share group's delivery limit, without a "
        + "result: not called again";
    item.tag(LOG.atWarn()).log("{}: {}", item, message);
    return publish(item, ResultEvent.failed(item.eventId(), item.event().email(), item.event().cname(), 0, null,
        ErrorCategory.RETRIES_EXHAUSTED, message, Source.of(item.record()), item.receivedAt(), clock.instant()),
        ErrorCategory.RETRIES_EXHAUSTED, message);
  }

  /**
   * A redelivered event id sent within the window: its result without a call, naming the record
   * that was sent ({@code duplicateOf}).
   */
  public Future<Void> duplicate(WorkItem item, long originalOffset) {
    Source original = new Source(item.record().topic(), item.record().partition(), originalOffset);
    item.tag(LOG.atInfo()).log("{}: already sent (offset {}): answered without a call", item, originalOffset);
    return publish(item, ResultEvent.duplicate(item.event(), Source.of(item.record()), original, item.receivedAt(),
        clock.instant()), null, null);
  }

  /**
   * A record whose send the ledger holds under its own offset: an earlier delivery of this very record
   * (a crashed owner, a share-group lock that ran out before its acknowledgement) made the call and
   * recorded it, and its result may or may not have reached Kafka. Answered as the contract answers
   * every delivery of a sent event id: {@code SENT}, {@code attempts} 0, {@code duplicateOf} naming
   * the record itself, so that a reader counting calls from results never counts this one twice (a
   * result may appear twice; an email does not). The earlier delivery's {@code attempts} and HTTP
   * status, kept by the ledger, go to the log.
   */
  public Future<Void> recovered(WorkItem item, int attempts, int httpStatus) {
    item.tag(LOG.atInfo()).log("{}: sent by an earlier delivery of this record ({} attempt(s), HTTP {}, recorded in "
        + "the ledger): answered without a call", item, attempts, httpStatus);
    Source self = Source.of(item.record());
    return publish(item, ResultEvent.duplicate(item.event(), self, self, item.receivedAt(), clock.instant()), null, null);
  }

  /** {@code category} is null for SENT. */
  private Future<Void> publish(WorkItem item, ResultEvent result, ErrorCategory category, String message) {
    InboundRecord in = item.record();
    Map<String, String> forward = item.parsed() instanceof ParsedEvent.Valid v ? v.forwardHeaders() : Map.of();
    String topic = category == null ? topics.sent() : topics.failed();
    Future<Void> sent = publisher.send(new ProducerRecord<>(topic, null, in.key(), result.toJsonBytes(),
        ResultHeaders.forResult(in, item.eventId(), forward)))
        .recover(e -> e instanceof RecordTooLargeException ? minimal(item, topic, result, e) : Future.failedFuture(e));
    Future<Void> all = sent;
    if (category != null && topics.deadLetterOn()) {
      Future<Void> copy = publisher.send(new ProducerRecord<>(topics.deadLetter(), null, in.key(), in.value(),
          ResultHeaders.forDeadLetter(in, category, message))).recover(e -> {
            if (!(e instanceof RecordTooLargeException)) {
              return Future.failedFuture(e);
            }
            metrics.deadLetterDropped();
            item.tag(LOG.atError()).log("{}: its dead-letter copy is too large for {} ({}); left out: raise the topic's "
                + "max.message.bytes or the producer's max.request.size to keep such copies", item, topics.deadLetter(),
                e.getMessage());
            return Future.succeededFuture();
          });
      all = Future.all(sent, copy).mapEmpty();
    }
    return all.onSuccess(v -> metrics.result(result.status().name(), category == null ? "none" : category.name(),
        clock.millis() - item.receivedAt().toEpochMilli()));
  }

  /** The contract's fields and the event id only: what made the result too large is left out. */
  private Future<Void> minimal(WorkItem item, String topic, ResultEvent result, Throwable tooLarge) {
    item.tag(LOG.atError()).log("{}: result too large for Kafka ({}); sending it without the input headers and raw value",
        item, tooLarge.getMessage());
    ResultEvent slim = result.withoutRawValue();
    Headers headers = new RecordHeaders();
    headers.add(ResultHeaders.EVENT_ID, item.eventId().getBytes(StandardCharsets.UTF_8));
    return sendWhileLeased(item, new ProducerRecord<>(topic, null, item.record().key(), slim.toJsonBytes(), headers));
  }

  private Future<Void> sendWhileLeased(WorkItem item, ProducerRecord<byte[], byte[]> record) {
    return publisher.send(record).recover(e -> {
      if (!(e instanceof RecordTooLargeException) || !item.lease().active()) {
        return Future.failedFuture(e);
      }
      item.tag(LOG.atError()).log("{}: even the minimal result is too large for {} ({}); retrying every {} s while this "
          + "instance owns the record", item, record.topic(), e.getMessage(), TOO_LARGE_RETRY_MS / 1000);
      return vertx.timer(TOO_LARGE_RETRY_MS).compose(v -> sendWhileLeased(item, record));
    });
  }
}
