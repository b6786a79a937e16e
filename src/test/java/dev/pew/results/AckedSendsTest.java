package dev.pew.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.dispatch.Backoff;
import dev.pew.testing.ManualClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publishers' shared send-until-acknowledged core on Kafka's {@link MockProducer} (answers given
 * by the test, from its own thread as the producer's I/O thread would) and a real event loop: one
 * retry timer for every refused send, a backoff by round and not by record, the refusal run and its
 * recovery, what is failed rather than retried.
 */
class AckedSendsTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final List<Integer> roundsAsked = Collections.synchronizedList(new ArrayList<>());
  private final List<String> heard = Collections.synchronizedList(new ArrayList<>());
  /** How often a {@link #describing} producer was asked for a topic's partitions. */
  private final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
  private final AckedSends.Listener listener = new AckedSends.Listener() {
    @Override
    public void refused(ProducerRecord<byte[], byte[]> record, Exception error, boolean first) {
      assertThat(Vertx.currentContext()).isSameAs(context);
      heard.add("refused " + record.topic() + (first ? " first" : ""));
    }

    @Override
    public void recovered(Duration after) {
      heard.add("recovered after " + after.toMillis() + " ms");
    }
  };

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAcknowledgedSendCompletesItsFutureOnTheContext() throws Exception {
    AckedSends sends = sends(r -> 1);
    Future<Void> sent = onLoop(() -> sends.send(record(0)));
    assertThat(sent.isComplete()).as("not before Kafka answers").isFalse();

    producer.completeNext();

    List<Context> completedOn = Collections.synchronizedList(new ArrayList<>());
    await(() -> sent.isComplete());
    onLoop(() -> sent.onComplete(ar -> completedOn.add(Vertx.currentContext())));
    assertThat(sent.succeeded()).isTrue();
    assertThat(completedOn).containsExactly(context);
    assertThat(sends.failing()).isFalse();
    assertThat(heard).isEmpty();
  }

  @Test
  void sixtyFourRefusedSendsShareOneTimerAndTheBackoffCountsRoundsNotRecords() throws Exception {
    AckedSends sends = sends(r -> {
      roundsAsked.add(r);
      return 1;
    });
    List<Future<Void>> sent = onLoop(() -> IntStream.range(0, 64).mapToObj(i -> sends.send(record(i))).toList());

    inOneBurst(64, () -> producer.errorNext(new TimeoutException("broker down")));
    await(() -> producer.history().size() == 128);
    assertThat(roundsAsked).as("one timer for all 64").containsExactly(1);
    assertThat(sends.failing()).isTrue();

    inOneBurst(64, () -> producer.errorNext(new TimeoutException("still down")));
    await(() -> producer.history().size() == 192);
    assertThat(roundsAsked).as("the second round waits as a second round, not as the 128th refusal").containsExactly(1, 2);

    answerAll(64, producer::completeNext);
    await(() -> sent.stream().allMatch(Future::succeeded));
    assertThat(sends.failing()).isFalse();
    assertThat(heard).filteredOn(h -> h.endsWith("first")).hasSize(1);
    assertThat(heard).filteredOn(h -> h.startsWith("refused")).hasSize(128);

    // After an acknowledgement the next refusal starts again at round 1.
    Future<Void> later = onLoop(() -> sends.send(record(64)));
    producer.errorNext(new TimeoutException("down again"));
    await(() -> producer.history().size() == 194);
    assertThat(roundsAsked).containsExactly(1, 2, 1);
    producer.completeNext();
    await(later::succeeded);
  }

  @Test
  void aRefusalRunIsReportedOnceAndItsRecoveryWithHowLongItLasted() throws Exception {
    AckedSends sends = sends(r -> 1);
    Future<Void> sent = onLoop(() -> sends.send(record(0)));

    producer.errorNext(new TimeoutException("broker down"));
    await(() -> producer.history().size() == 2);
    assertThat(sends.failing()).isTrue();
    clock.advance(Duration.ofSeconds(3));
    producer.completeNext();

    await(sent::succeeded);
    assertThat(sends.failing()).isFalse();
    assertThat(heard).containsExactly("refused t first", "recovered after 3000 ms");
  }

  @Test
  void aSendThatThrowsIsRetriedLikeARefusal() throws Exception {
    AckedSends sends = sends(r -> 1);
    producer.sendException = new KafkaException("buffer exhausted");
    Future<Void> sent = onLoop(() -> sends.send(record(0)));
    await(sends::failing);
    producer.sendException = null;

    await(() -> producer.history().size() == 1);
    producer.completeNext();
    await(sent::succeeded);
    assertThat(sends.failing()).isFalse();
  }

  @Test
  void aRecordTooLargeFailsItsFutureAndNeitherHoldsNorRetries() throws Exception {
    AckedSends sends = sends(r -> {
      roundsAsked.add(r);
      return 1;
    });
    Future<Void> sent = onLoop(() -> sends.send(record(0)));

    producer.errorNext(new RecordTooLargeException("too large"));

    await(sent::failed);
    assertThat(sent.cause()).isInstanceOf(RecordTooLargeException.class);
    assertThat(sends.failing()).as("Kafka is reachable; the caller may send a smaller record").isFalse();
    assertThat(roundsAsked).as("no retry round started").isEmpty();
    assertThat(producer.history()).hasSize(1);
    assertThat(heard).containsExactly("refused t");
  }

  @Test
  void closingFailsTheSendsWaitingForARetryAndStopsTheTimer() throws Exception {
    AckedSends sends = sends(r -> 60_000);
    List<Future<Void>> sent = onLoop(() -> List.of(sends.send(record(0)), sends.send(record(1))));
    answerAll(2, () -> producer.errorNext(new TimeoutException("broker down")));
    await(() -> heard.size() == 2); // both refusals handled on the loop: both wait for the retry

    onLoop(() -> {
      sends.close();
      return null;
    });

    assertThat(sent).allSatisfy(f -> {
      assertThat(f.failed()).isTrue();
      assertThat(f.cause()).hasMessage("publisher closed");
    });
    Future<Void> afterClose = onLoop(() -> sends.send(record(2)));
    assertThat(afterClose.failed()).isTrue();
    assertThat(producer.history()).as("nothing sent again, nothing new sent").hasSize(2);
  }

  @Test
  void thePublishersRetryRoundsStartAt200To400MsAndNeverWaitPast5s() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(AckedSends.RETRY.delayMillis(1)).isBetween(200L, 400L);
      assertThat(AckedSends.RETRY.delayMillis(1_000)).isBetween(200L, 5_000L);
    }
  }

  /**
   * A producer that never blocks ({@code max.block.ms=0}) answers {@code partitionsFor} with a
   * timeout until its I/O thread has the topic: the fetch ahead asks again until it answers.
   */
  @Test
  void fetchingAheadAsksANonBlockingProducerAgainUntilItKnowsTheTopic() throws Exception {
    AckedSends sends = describing(ask -> ask >= 4);

    sends.warm(List.of("t")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(asked).hasValue(4);
  }

  @Test
  void fetchingAheadGivesUpWithoutFailingOnceItsTimeHasPassed() throws Exception {
    AckedSends sends = describing(ask -> {
      if (ask == 2) {
        clock.advance(AckedSends.WARM_WITHIN);
      }
      return false;
    });

    Future<Void> warmed = sends.warm(List.of("t"));
    warmed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(warmed.succeeded()).isTrue();
    assertThat(asked).as("asked until the clock passed its time, then left to the first send").hasValue(2);
  }

  @Test
  void fetchingAheadStopsWhenThePublisherCloses() throws Exception {
    AckedSends sends = describing(ask -> false);
    Future<Void> warmed = sends.warm(List.of("t")); // the clock stands still: only closing ends it
    await(() -> asked.get() > 1);

    onLoop(() -> {
      sends.close();
      return null;
    });

    warmed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(warmed.succeeded()).isTrue();
  }

  /**
   * Sends over a producer that never blocks: its {@code partitionsFor}, at its {@code n}-th ask
   * ({@link #asked}), knows the topic when {@code knownAt.test(n)}, else answers the timeout Kafka's
   * producer answers with {@code max.block.ms=0}.
   */
  private AckedSends describing(java.util.function.IntPredicate knownAt) throws Exception {
    MockProducer<byte[], byte[]> describing = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
      @Override
      public List<org.apache.kafka.common.PartitionInfo> partitionsFor(String topic) {
        if (knownAt.test(asked.incrementAndGet())) {
          return List.of(new org.apache.kafka.common.PartitionInfo(topic, 0, null, null, null));
        }
        throw new TimeoutException("Topic " + topic + " not present in metadata after 0 ms.");
      }
    };
    return onLoop(() -> new AckedSends(context, describing, r -> 1, clock, listener));
  }

  private AckedSends sends(Backoff backoff) throws Exception {
    return onLoop(() -> new AckedSends(context, producer, backoff, clock, listener));
  }

  private static ProducerRecord<byte[], byte[]> record(int i) {
    return new ProducerRecord<>("t", ("k" + i).getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
  }

  /** Gives {@code n} answers from this thread, each once Kafka's mock holds a send to answer. */
  private void answerAll(int n, Callable<Boolean> answerNext) {
    for (int i = 0; i < n; i++) {
      await(answerNext);
    }
  }

  /**
   * Gives {@code n} answers while the event loop is busy, as the producer's I/O thread gives those of
   * one produce response: they reach the loop together.
   */
  private void inOneBurst(int n, Callable<Boolean> answerNext) throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    context.runOnContext(v -> {
      busy.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    busy.await(10, TimeUnit.SECONDS);
    try {
      for (int i = 0; i < n; i++) {
        assertThat(answerNext.call()).as("a send to answer").isTrue();
      }
    } finally {
      release.countDown();
    }
  }

  private <T> T onLoop(Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  /** Waits for {@code condition}, asked from this thread, up to 10 s. */
  private static void await(Callable<Boolean> condition) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(condition);
  }
}
