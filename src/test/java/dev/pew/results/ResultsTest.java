package dev.pew.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.dispatch.Outcome;
import dev.pew.dispatch.Verdict;
import dev.pew.event.ErrorCategory;
import dev.pew.event.InboundRecord;
import dev.pew.event.OnboardingEvent;
import dev.pew.event.ParsedEvent;
import dev.pew.event.ResultEvents;
import dev.pew.intake.WorkItem;
import dev.pew.testing.TestLease;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Results against a scripted publisher: the too-large fallbacks end once and respect the lease. */
@ExtendWith(VertxExtension.class)
class ResultsTest {

  private static final ResultTopics TOPICS = new ResultTopics("sent", "failed", "dlq");

  /** Refuses as too large every record {@code tooLarge} matches; acknowledges the others. */
  private static final class ScriptedPublisher implements Publisher {
    final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    final List<ProducerRecord<byte[], byte[]>> refused = new ArrayList<>();
    final Predicate<ProducerRecord<byte[], byte[]>> tooLarge;

    ScriptedPublisher(Predicate<ProducerRecord<byte[], byte[]>> tooLarge) {
      this.tooLarge = tooLarge;
    }

    @Override
    public Future<Void> send(ProducerRecord<byte[], byte[]> record) {
      if (tooLarge.test(record)) {
        refused.add(record);
        return Future.failedFuture(new RecordTooLargeException("too large for the test"));
      }
      sent.add(record);
      return Future.succeededFuture();
    }

    @Override
    public boolean failing() {
      return false;
    }
  }

  private static final class CountingMetrics implements ResultMetrics {
    int results;
    int dropped;

    @Override
    public void result(String status, String category, long durationMs) {
      results++;
    }

    @Override
    public void publishFailure() {}

    @Override
    public void deadLetterDropped() {
      dropped++;
    }
  }

  private static WorkItem item(TestLease lease) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("big-header", new byte[10_000]);
    InboundRecord r = new InboundRecord("in", 0, 7, "k".getBytes(StandardCharsets.UTF_8),
        "{\"email\":\"a@x.io\"}".getBytes(StandardCharsets.UTF_8), headers, 0);
    return new WorkItem(r, new ParsedEvent.Valid(new OnboardingEvent("e-7", "a@x.io", null)), lease, Instant.now());
  }

  private static boolean hasBigHeader(ProducerRecord<byte[], byte[]> r) {
    return r.headers().lastHeader("big-header") != null;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aResultTooLargeForKafkaIsSentOnceWithoutTheInputHeaders(Vertx vertx) throws Exception {
    ScriptedPublisher publisher = new ScriptedPublisher(r -> r.topic().equals("sent") && hasBigHeader(r));
    CountingMetrics metrics = new CountingMetrics();
    Results results = new Results(vertx, TOPICS, publisher, metrics, Clock.systemUTC());

    await(results.outcome(item(TestLease.permanent()), new Outcome(new Verdict.Sent(200), 1)));

    assertThat(publisher.refused).hasSize(1);
    assertThat(publisher.sent).singleElement().satisfies(r -> {
      assertThat(r.topic()).isEqualTo("sent");
      assertThat(hasBigHeader(r)).isFalse();
      assertThat(new String(r.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8)).isEqualTo("e-7");
      assertThat(ResultEvents.fromJson(r.value()).eventId()).isEqualTo("e-7");
    });
    assertThat(metrics.results).isEqualTo(1);
  }

  @Test
  void aMinimalResultStillTooLargeIsReleasedWhenTheLeaseEndsInsteadOfRetriedForever(Vertx vertx) throws Exception {
    ScriptedPublisher publisher = new ScriptedPublisher(r -> r.topic().equals("sent"));
    TestLease lease = new TestLease();
    lease.end(); // the partition moved away while the result was refused
    Results results = new Results(vertx, TOPICS, publisher, new CountingMetrics(), Clock.systemUTC());

    Future<Void> published = results.outcome(item(lease), new Outcome(new Verdict.Sent(200), 1));

    assertThat(published.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(5, TimeUnit.SECONDS))
        .isInstanceOf(RecordTooLargeException.class);
    assertThat(publisher.refused).hasSize(2); // the full result, then the minimal one: no retry loop
  }

  @Test
  void aDeadLetterCopyTooLargeForKafkaIsLeftOutAndCountedWhileTheResultIsPublished(Vertx vertx) throws Exception {
    ScriptedPublisher publisher = new ScriptedPublisher(r -> r.topic().equals("dlq"));
    CountingMetrics metrics = new CountingMetrics();
    Results results = new Results(vertx, TOPICS, publisher, metrics, Clock.systemUTC());

    await(results.outcome(item(TestLease.permanent()),
        new Outcome(new Verdict.Failed(ErrorCategory.NOT_FOUND, "HTTP 404", 404), 1)));

    assertThat(publisher.sent).singleElement().satisfies(r -> assertThat(r.topic()).isEqualTo("failed"));
    assertThat(publisher.refused).singleElement().satisfies(r -> assertThat(r.topic()).isEqualTo("dlq"));
    assertThat(metrics.dropped).isEqualTo(1);
    assertThat(metrics.results).isEqualTo(1);
  }

  @Test
  void aRecordOnItsLastDeliveryFailsAsRetriesExhaustedWithoutACallAndIsDeadLettered(Vertx vertx) throws Exception {
    ScriptedPublisher publisher = new ScriptedPublisher(r -> false);
    Results results = new Results(vertx, TOPICS, publisher, new CountingMetrics(), Clock.systemUTC());
    WorkItem plain = item(TestLease.permanent());
    WorkItem last = new WorkItem(plain.record(), plain.partition(), plain.parsed(), plain.lease(), plain.receivedAt(),
        new WorkItem.Delivery(5, true));

    await(results.deliveryLimit(last));

    assertThat(publisher.sent).extracting(ProducerRecord::topic).containsExactly("failed", "dlq");
    var result = ResultEvents.fromJson(publisher.sent.get(0).value());
    assertThat(result.attempts()).isZero();
    assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.RETRIES_EXHAUSTED);
    assertThat(result.error().orElseThrow().retryable()).isTrue();
    assertThat(result.error().orElseThrow().message()).contains("delivered 5 times").contains("delivery limit");
  }

  @Test
  void aRecordSentByAnEarlierDeliveryOfItselfIsAnsweredWithAttemptsZeroAndItselfAsDuplicateOf(Vertx vertx)
      throws Exception {
    ScriptedPublisher publisher = new ScriptedPublisher(r -> false);
    Results results = new Results(vertx, TOPICS, publisher, new CountingMetrics(), Clock.systemUTC());

    await(results.recovered(item(TestLease.permanent()), 3, 200)); // the earlier delivery's attempts and status

    assertThat(publisher.sent).singleElement().satisfies(r -> {
      assertThat(r.topic()).isEqualTo("sent");
      var result = ResultEvents.fromJson(r.value());
      assertThat(result.attempts()).as("no call in this delivery").isZero();
      assertThat(result.httpStatus()).isNull();
      assertThat(result.duplicateOf()).as("the record that was sent: itself").isEqualTo(result.source());
      assertThat(result.source().offset()).isEqualTo(7);
    });
  }
}
