package dev.pew;

import dev.pew.dispatch.Dispatcher;
import dev.pew.dispatch.KeySequencer;
import dev.pew.dispatch.Outcomes;
import dev.pew.dispatch.WorkItem;
import dev.pew.event.ErrorCategory;
import dev.pew.event.InboundRecord;
import dev.pew.event.OnboardingEvent;
import dev.pew.event.ParsedEvent;
import dev.pew.event.ResultEvent;
import dev.pew.event.ResultHeaders;
import dev.pew.event.Source;
import dev.pew.kafka.Completion;
import dev.pew.kafka.IntakeSink;
import dev.pew.kafka.ResultPublisher;
import dev.pew.kafka.ResultTopics;
import dev.pew.ops.WorkerMetrics;
import dev.pew.xc.Verdict;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's path from a record handed over by the intake thread to the completion of its offset:
 * invalid records straight to a result, valid ones (in key order when asked) through the {@link
 * Dispatcher}, every final verdict into exactly one result event (plus a dead-letter copy of failed
 * inputs when configured), and only once Kafka acknowledged those, a {@link Completion} back to the
 * intake thread, which may then commit the offset.
 *
 * <p>Guarantee: each record handed over ends exactly once: completed after its result is
 * acknowledged, or released unfinished (its lease ended) so the next owner processes it. Threading:
 * the {@link IntakeSink} methods are called on the intake thread and only post to the event loop;
 * everything else runs on the worker's event loop.
 */
public final class Pipeline implements IntakeSink, Outcomes {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final long TOO_LARGE_RETRY_MS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final ResultTopics topics;
  private final ResultPublisher publisher;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final KeySequencer sequencer;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger peakPending = new AtomicInteger();
  private Dispatcher dispatcher;
  private Consumer<Completion> completions = c -> {};
  private volatile boolean holding;

  public Pipeline(Vertx vertx, Context context, ResultTopics topics, ResultPublisher publisher, boolean keyOrdering,
      WorkerMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.topics = topics;
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
    this.sequencer = keyOrdering ? new KeySequencer() : null;
  }

  /** Wires the dispatcher, which needs this pipeline as its {@link Outcomes}. */
  public void dispatcher(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** Where completions go (the intake thread's queue). */
  public void completions(Consumer<Completion> sink) {
    this.completions = sink;
  }

  /** Mirrors the hold state for the intake thread (set on the event loop). */
  public void holding(boolean holding) {
    this.holding = holding;
  }

  // --- IntakeSink: intake thread ---

  @Override
  public void accept(List<WorkItem> batch) {
    peakPending.accumulateAndGet(pending.addAndGet(batch.size()), Math::max);
    context.runOnContext(v -> batch.forEach(this::admit));
  }

  @Override
  public int pending() {
    return pending.get();
  }

  /** The most records ever unfinished at once: bounded by MAX_BUFFERED plus one poll. */
  public int peakPending() {
    return peakPending.get();
  }

  @Override
  public boolean acceptingIntake() {
    return !holding && !publisher.failing();
  }

  @Override
  public void releaseInactive() {
    context.runOnContext(v -> {
      dispatcher.releaseInactive();
      if (sequencer != null) {
        sequencer.removeWaiting(item -> !item.lease().active()).forEach(this::released);
      }
    });
  }

  // --- event loop ---

  private void admit(WorkItem item) {
    if (!item.valid()) {
      ParsedEvent.Invalid invalid = (ParsedEvent.Invalid) item.parsed();
      item.tag(LOG.atWarn()).log("{}: invalid event, no call made: {}", item, invalid.reason());
      publish(item, ResultEvent.invalid(invalid, item.record(), item.receivedAt(), clock.instant()),
          ErrorCategory.INVALID_EVENT, invalid.reason());
      return;
    }
    if (sequencer == null || sequencer.admit(item)) {
      dispatcher.submit(item);
    }
  }

  @Override
  public void finished(WorkItem item, Verdict verdict) {
    Instant now = clock.instant();
    Source source = Source.of(item.record());
    if (verdict instanceof Verdict.Sent sent) {
      item.tag(LOG.atDebug()).log("{}: sent after {} attempt(s)", item, item.attempts());
      publish(item, ResultEvent.sent(item.event(), item.attempts(), sent.httpStatus(), source, item.receivedAt(), now),
          null, null);
      return;
    }
    Verdict.Failed failed = (Verdict.Failed) verdict;
    OnboardingEvent e = item.event();
    item.tag(LOG.atWarn()).log("{}: failed as {} after {} attempt(s): {}", item, failed.category(), item.attempts(),
        failed.message());
    publish(item, ResultEvent.failed(e.eventId(), e.email(), e.cname(), item.attempts(), failed.httpStatus(),
        failed.category(), failed.message(), source, item.receivedAt(), now), failed.category(), failed.message());
  }

  @Override
  public void released(WorkItem item) {
    metrics.released(1);
    done(item);
  }

  /**
   * Publishes the result (and the dead-letter copy of a failed input), then completes the item.
   * {@code category} is null for SENT.
   */
  private void publish(WorkItem item, ResultEvent result, ErrorCategory category, String message) {
    InboundRecord in = item.record();
    Map<String, String> forward = item.parsed() instanceof ParsedEvent.Valid v ? v.forwardHeaders() : Map.of();
    String topic = category == null ? topics.sent() : topics.failed();
    Headers headers = ResultHeaders.forResult(in, item.eventId(), forward);
    List<Future<Void>> sends = new ArrayList<>(2);
    sends.add(sendResult(item, new ProducerRecord<>(topic, null, in.key(), result.toJsonBytes(), headers), result));
    if (category != null && topics.deadLetterOn()) {
      sends.add(sendUntilAccepted(new ProducerRecord<>(topics.deadLetter(), null, in.key(), in.value(),
          ResultHeaders.forDeadLetter(in, category, message))));
    }
    Future.all(sends).onComplete(ar -> {
      if (ar.succeeded()) {
        metrics.result(result.status().name(), category == null ? "none" : category.name(),
            clock.millis() - item.receivedAt().toEpochMilli());
        completions.accept(new Completion(item.partition(), item.offset()));
        done(item);
      } else {
        // Only when shutting down: the publisher stopped retrying. Not committed: redone next time.
        released(item);
      }
    });
  }

  private Future<Void> sendResult(WorkItem item, ProducerRecord<byte[], byte[]> record, ResultEvent result) {
    return publisher.send(record).recover(e -> {
      if (!(e instanceof RecordTooLargeException)) {
        return Future.failedFuture(e);
      }
      // The copied input headers or the raw value made the result too large: keep the contract's
      // fields and the event id, drop what made it big.
      item.tag(LOG.atError()).log("{}: result too large for Kafka ({}); sending it without the input headers and raw value",
          item, e.getMessage());
      ResultEvent slim = result.rawValue() == null ? result : ResultEvent.failed(result.eventId(), result.email(),
          result.cname(), result.attempts(), result.httpStatus(), ErrorCategory.INVALID_EVENT,
          result.error().map(ResultEvent.ErrorInfo::message).orElse("") + " (raw value left out: too large)",
          result.source(), result.receivedAt(), result.completedAt());
      Headers minimal = new org.apache.kafka.common.header.internals.RecordHeaders();
      minimal.add(ResultHeaders.EVENT_ID, item.eventId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return sendUntilAccepted(new ProducerRecord<>(record.topic(), null, record.key(), slim.toJsonBytes(), minimal));
    });
  }

  /** Keeps sending a record that Kafka refuses as too large, so that an operator can raise the limit. */
  private Future<Void> sendUntilAccepted(ProducerRecord<byte[], byte[]> record) {
    return publisher.send(record).recover(e -> {
      if (!(e instanceof RecordTooLargeException)) {
        return Future.failedFuture(e);
      }
      LOG.error("record for {} is too large for Kafka ({}); retrying every {} s until the topic or producer limit is raised",
          record.topic(), e.getMessage(), TOO_LARGE_RETRY_MS / 1000);
      return vertx.timer(TOO_LARGE_RETRY_MS).compose(v -> sendUntilAccepted(record));
    });
  }

  private void done(WorkItem item) {
    pending.decrementAndGet();
    item.lease().itemDone();
    if (sequencer != null && item.valid()) {
      WorkItem next = sequencer.done(item);
      if (next != null) {
        if (next.lease().active()) {
          dispatcher.submit(next);
        } else {
          released(next);
        }
      }
    }
  }
}
