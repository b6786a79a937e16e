package dev.pew.intake.share;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRecordStateException;

/**
 * The broker's side of a share group, as Kafka 4.3 behaves (checked against the real broker by
 * {@code ShareGroupBrokerIT}): records are acquired by one member at a time under a lock of {@code
 * lockMs}, every acquisition counts a delivery, a lock that runs out makes the record available again
 * (archived once it reached the delivery limit), and the acknowledgements of one request for one
 * partition succeed or fail together. Time is the test's clock. Not thread-safe.
 */
final class FakeShareBroker {

  enum State { AVAILABLE, ACQUIRED, ACKNOWLEDGED, ARCHIVED }

  static final class Slot {
    final TopicPartition partition;
    final long offset;
    final byte[] key;
    final byte[] value;
    State state = State.AVAILABLE;
    int deliveries;
    String owner;
    long deadline;

    Slot(TopicPartition partition, long offset, byte[] key, byte[] value) {
      this.partition = partition;
      this.offset = offset;
      this.key = key;
      this.value = value;
    }
  }

  final Clock clock;
  long lockMs;
  int deliveryLimit;
  private final Map<TopicPartition, List<Slot>> log = new LinkedHashMap<>();
  /** Every acquisition, for the tests: offsets by partition, in order. */
  final List<Slot> acquisitions = new ArrayList<>();
  /** Requests acknowledging RENEW, for the tests. */
  int renewRequests;

  FakeShareBroker(Clock clock, long lockMs, int deliveryLimit) {
    this.clock = clock;
    this.lockMs = lockMs;
    this.deliveryLimit = deliveryLimit;
  }

  synchronized Slot produce(TopicPartition tp, String key, String value) {
    List<Slot> slots = log.computeIfAbsent(tp, p -> new ArrayList<>());
    Slot s = new Slot(tp, slots.size(), key == null ? null : key.getBytes(), value == null ? null : value.getBytes());
    slots.add(s);
    return s;
  }

  synchronized Slot slot(TopicPartition tp, long offset) {
    return log.get(tp).get((int) offset);
  }

  Collection<List<Slot>> partitions() {
    return log.values();
  }

  /** Locks that ran out: the record is available again, or archived at the delivery limit. */
  synchronized void expire() {
    long now = clock.millis();
    for (List<Slot> slots : log.values()) {
      for (Slot s : slots) {
        if (s.state == State.ACQUIRED && now >= s.deadline) {
          free(s);
        }
      }
    }
  }

  private void free(Slot s) {
    s.state = s.deliveries >= deliveryLimit ? State.ARCHIVED : State.AVAILABLE;
    s.owner = null;
  }

  /** Up to {@code max} available records for {@code owner}, oldest first. */
  synchronized List<Slot> acquire(String owner, int max) {
    expire();
    List<Slot> out = new ArrayList<>();
    for (List<Slot> slots : log.values()) {
      for (Slot s : slots) {
        if (out.size() < max && s.state == State.AVAILABLE) {
          s.state = State.ACQUIRED;
          s.deliveries++;
          s.owner = owner;
          s.deadline = clock.millis() + lockMs;
          out.add(s);
          acquisitions.add(s);
        }
      }
    }
    return out;
  }

  /** One request's acknowledgements for one partition: all applied, or none (the error returned). */
  synchronized Exception acknowledge(String owner, TopicPartition tp, Map<Long, AcknowledgeType> acks) {
    expire();
    if (acks.containsValue(AcknowledgeType.RENEW)) {
      renewRequests++;
    }
    for (long offset : acks.keySet()) {
      Slot s = slot(tp, offset);
      if (s.state != State.ACQUIRED || !owner.equals(s.owner)) {
        return new InvalidRecordStateException("The offset cannot be acknowledged. The offset is not acquired.");
      }
    }
    acks.forEach((offset, type) -> {
      Slot s = slot(tp, offset);
      switch (type) {
        case ACCEPT -> {
          s.state = State.ACKNOWLEDGED;
          s.owner = null;
        }
        case RELEASE -> free(s);
        case REJECT -> {
          s.state = State.ARCHIVED;
          s.owner = null;
        }
        case RENEW -> s.deadline = clock.millis() + lockMs;
        default -> throw new IllegalArgumentException(String.valueOf(type));
      }
    });
    return null;
  }

  synchronized void releaseAll(String owner) {
    for (List<Slot> slots : log.values()) {
      for (Slot s : slots) {
        if (s.state == State.ACQUIRED && owner.equals(s.owner)) {
          free(s);
        }
      }
    }
  }

  /** Records by state, for assertions. */
  synchronized Map<State, Integer> states() {
    Map<State, Integer> out = new TreeMap<>();
    for (List<Slot> slots : log.values()) {
      for (Slot s : slots) {
        out.merge(s.state, 1, Integer::sum);
      }
    }
    return out;
  }
}
