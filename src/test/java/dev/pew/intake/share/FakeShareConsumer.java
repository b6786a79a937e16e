package dev.pew.intake.share;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.AcknowledgementCommitCallback;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.record.TimestampType;

/**
 * A scripted {@link ShareConsumer} in explicit acknowledgement mode with Kafka 4.3's rules, as {@code
 * ShareConsumerImpl} and the real broker behave (see {@code ShareGroupBrokerIT}): a poll throws while
 * a record it returned is unacknowledged; a poll returns new records only once every record of the
 * previous one was acknowledged with a final type; acknowledgements are sent by {@code commitAsync}
 * (or a poll) and answered at the next call, through the callback; a renewed record comes back with a
 * later poll; a poll while a renewal is unanswered fetches new records into the buffer behind the
 * application's back (they are returned, locks running, once the current records are done). {@code
 * acquisitionLockTimeoutMs} is the broker's lock. Not thread-safe.
 */
final class FakeShareConsumer implements ShareConsumer<byte[], byte[]> {

  private record Key(TopicPartition partition, long offset) {}

  private final FakeShareBroker broker;
  private final String owner;
  private final int maxPoll;
  private final Map<Key, ConsumerRecord<byte[], byte[]>> inFlight = new LinkedHashMap<>();
  private final Map<Key, AcknowledgeType> acknowledged = new LinkedHashMap<>();
  private final Map<Key, ConsumerRecord<byte[], byte[]>> renewing = new LinkedHashMap<>();
  private final Map<Key, ConsumerRecord<byte[], byte[]>> renewed = new LinkedHashMap<>();
  private final List<ConsumerRecord<byte[], byte[]>> buffer = new ArrayList<>();
  private final Deque<Runnable> answers = new ArrayDeque<>();
  private AcknowledgementCommitCallback callback;
  private Set<String> subscription = Set.of();
  private int hiddenPolls;
  boolean closed;
  int polls;
  /** Polls made while a renewal was unanswered (each one fetches behind the application's back). */
  int pollsWhileRenewing;

  FakeShareConsumer(FakeShareBroker broker, String owner, int maxPoll) {
    this.broker = broker;
    this.owner = owner;
    this.maxPoll = maxPoll;
  }

  @Override
  public Set<String> subscription() {
    return subscription;
  }

  @Override
  public void subscribe(Collection<String> topics) {
    subscription = Set.copyOf(topics);
  }

  @Override
  public void unsubscribe() {
    subscription = Set.of();
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    ensureOpen();
    polls++;
    deliverAnswers();
    for (Key k : inFlight.keySet()) {
      if (!acknowledged.containsKey(k)) {
        throw new IllegalStateException("All records must be acknowledged in explicit acknowledgement mode.");
      }
    }
    send();
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    if (!renewing.isEmpty() || !renewed.isEmpty()) {
      out.addAll(renewed.values()); // the renewed ones come back at once
      renewed.clear();
      if (!renewing.isEmpty()) {
        pollsWhileRenewing++;
        prefetch(); // the real consumer sends a fetch here: new records, locked, wait in its buffer
      }
    } else if (!buffer.isEmpty() && hiddenPolls > 0) {
      hiddenPolls--; // the buffer is not handed out by this poll (see hideBuffer)
    } else if (!buffer.isEmpty()) {
      out.addAll(buffer);
      buffer.clear();
    } else {
      broker.acquire(owner, maxPoll).forEach(s -> out.add(record(s)));
    }
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : out) {
      inFlight.put(key(r), r);
      byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>()).add(r);
    }
    return new ConsumerRecords<>(byPartition, Map.of());
  }

  private static ConsumerRecord<byte[], byte[]> record(FakeShareBroker.Slot s) {
    return new ConsumerRecord<>(s.partition.topic(), s.partition.partition(), s.offset, 0L, TimestampType.CREATE_TIME,
        -1, -1, s.key, s.value, new RecordHeaders(), Optional.empty(), Optional.of((short) s.deliveries));
  }

  private static Key key(ConsumerRecord<byte[], byte[]> r) {
    return new Key(new TopicPartition(r.topic(), r.partition()), r.offset());
  }

  @Override
  public void acknowledge(ConsumerRecord<byte[], byte[]> record) {
    acknowledge(record, AcknowledgeType.ACCEPT);
  }

  @Override
  public void acknowledge(ConsumerRecord<byte[], byte[]> record, AcknowledgeType type) {
    ensureOpen();
    Key k = key(record);
    if (!inFlight.containsKey(k)) {
      throw new IllegalStateException("The record cannot be acknowledged.");
    }
    acknowledged.put(k, type);
  }

  @Override
  public void acknowledge(String topic, int partition, long offset, AcknowledgeType type) {
    throw new IllegalStateException("The record cannot be acknowledged.");
  }

  /** Sends what was acknowledged: one request per partition, answered at the next call. */
  private void send() {
    if (acknowledged.isEmpty()) {
      return;
    }
    Map<TopicPartition, Map<Long, AcknowledgeType>> byPartition = new LinkedHashMap<>();
    acknowledged.forEach((k, type) -> byPartition.computeIfAbsent(k.partition(), p -> new TreeMap<>()).put(k.offset(), type));
    Map<Key, ConsumerRecord<byte[], byte[]>> renewals = new HashMap<>();
    acknowledged.forEach((k, type) -> {
      ConsumerRecord<byte[], byte[]> r = inFlight.remove(k);
      if (type == AcknowledgeType.RENEW) {
        renewals.put(k, r);
        renewing.put(k, r);
      }
    });
    acknowledged.clear();
    byPartition.forEach((tp, acks) -> {
      Exception error = broker.acknowledge(owner, tp, acks);
      answers.add(() -> {
        for (long offset : acks.keySet()) {
          Key k = new Key(tp, offset);
          ConsumerRecord<byte[], byte[]> r = renewing.remove(k);
          if (r != null && error == null) {
            renewed.put(k, r);
          }
        }
        if (callback != null) {
          callback.onComplete(Map.of(new TopicIdPartition(Uuid.ZERO_UUID, tp), new HashSet<>(acks.keySet())), error);
        }
      });
    });
  }

  private void deliverAnswers() {
    Runnable a;
    while ((a = answers.poll()) != null) {
      a.run();
    }
  }

  @Override
  public Map<TopicIdPartition, Optional<KafkaException>> commitSync() {
    return commitSync(Duration.ofSeconds(30));
  }

  @Override
  public Map<TopicIdPartition, Optional<KafkaException>> commitSync(Duration timeout) {
    ensureOpen();
    deliverAnswers();
    send();
    deliverAnswers();
    return Map.of();
  }

  @Override
  public void commitAsync() {
    ensureOpen();
    deliverAnswers();
    send();
  }

  @Override
  public void setAcknowledgementCommitCallback(AcknowledgementCommitCallback callback) {
    this.callback = callback;
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return Uuid.ZERO_UUID;
  }

  @Override
  public Optional<Integer> acquisitionLockTimeoutMs() {
    return Optional.of((int) broker.lockMs);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return Map.of();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {}

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {}

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  @Override
  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    send();
    deliverAnswers();
    broker.releaseAll(owner);
    closed = true;
  }

  @Override
  public void wakeup() {}

  /**
   * The next {@code polls} polls return nothing although the buffer holds records, as the real
   * consumer's poll does while it still counts renewals of its own: the application cannot tell
   * how long records waited in the buffer from when a poll found it empty.
   */
  void hideBuffer(int polls) {
    hiddenPolls = polls;
  }

  /** What a fetch sent behind the application's back does: acquires records into the buffer. */
  void prefetch() {
    if (buffer.isEmpty()) {
      broker.acquire(owner, maxPoll).forEach(s -> buffer.add(record(s)));
    }
  }

  /** Records the consumer holds for the application (returned and not finally acknowledged). */
  int holding() {
    return inFlight.size() + renewing.size() + renewed.size();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("This consumer has already been closed.");
    }
  }
}
