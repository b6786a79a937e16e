package dev.pew.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the share-group intake ({@code intake.share.ShareLane}) relies on, pinned on the test broker
 * and Kafka 4.3.1 clients in explicit acknowledgement and record-limit mode, so that an upgrade
 * that changes it fails here first (the scripted consumer of the unit tests follows these rules):
 * a poll throws while a record it returned is unacknowledged; a RENEW sent with {@code commitAsync}
 * keeps a record past its lock, comes back with a poll made after its answer, and that poll locks no
 * new record; a released record comes back with its delivery count up by one; and the group's
 * configs, defaults included, can be read before the group exists.
 */
class ShareGroupBrokerIT {

  private static final long LOCK_MS = 2000;

  private static KafkaShareConsumer<byte[], byte[]> consumer(KafkaTestClient kafka, String group, int maxPoll) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("group.id", group);
    p.put("share.acknowledgement.mode", "explicit");
    p.put("share.acquire.mode", "record_limit");
    p.put("max.poll.records", Integer.toString(maxPoll));
    return new KafkaShareConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static String setUp(KafkaTestClient kafka, String group, int records) {
    String topic = KafkaTestClient.unique("share-rules");
    kafka.createTopics(1, topic);
    kafka.alterGroupConfig(group, Map.of("share.auto.offset.reset", "earliest",
        "share.record.lock.duration.ms", Long.toString(LOCK_MS)));
    List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      batch.add(new ProducerRecord<>(topic, KafkaTestClient.bytes("k" + i), KafkaTestClient.bytes("v" + i)));
    }
    kafka.sendAll(batch);
    return topic;
  }

  private static ConsumerRecords<byte[], byte[]> firstRecords(KafkaShareConsumer<byte[], byte[]> c) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    ConsumerRecords<byte[], byte[]> got = ConsumerRecords.empty();
    while (got.isEmpty() && System.nanoTime() < until) {
      got = c.poll(Duration.ofMillis(200));
    }
    return got;
  }

  @Test
  @Timeout(90)
  void aRenewalKeepsRecordsPastTheirLockAndItsPollLocksNothingNew() throws Exception {
    try (KafkaTestClient kafka = KafkaTestClient.shared()) {
      String group = KafkaTestClient.unique("share-rules");
      String topic = setUp(kafka, group, 8);
      Set<Long> answered = ConcurrentHashMap.newKeySet();
      List<Exception> errors = new ArrayList<>();
      try (KafkaShareConsumer<byte[], byte[]> c = consumer(kafka, group, 4)) {
        c.setAcknowledgementCommitCallback((offsets, e) -> {
          offsets.values().forEach(answered::addAll);
          if (e != null) {
            errors.add(e);
          }
        });
        c.subscribe(List.of(topic));
        List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();
        firstRecords(c).forEach(held::add);
        assertThat(held).hasSize(4);
        assertThat(c.acquisitionLockTimeoutMs()).hasValue((int) LOCK_MS);
        assertThatThrownBy(() -> c.poll(Duration.ZERO)).as("unacknowledged records").isInstanceOf(IllegalStateException.class);

        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3 * LOCK_MS)) {
          answered.clear();
          held.forEach(r -> c.acknowledge(r, AcknowledgeType.RENEW));
          c.commitAsync();
          while (answered.size() < held.size()) {
            Thread.sleep(20);
            c.commitAsync(); // delivers the answer
          }
          Set<Long> back = new HashSet<>();
          c.poll(Duration.ZERO).forEach(r -> back.add(r.offset()));
          assertThat(back).as("the renewed records, and nothing new").containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
          Thread.sleep(LOCK_MS / 2);
        }
        assertThat(errors).isEmpty();
        held.forEach(r -> c.acknowledge(r, AcknowledgeType.ACCEPT));
        c.commitSync(Duration.ofSeconds(10));
        List<ConsumerRecord<byte[], byte[]>> next = new ArrayList<>();
        firstRecords(c).forEach(next::add);
        assertThat(next).extracting(ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L);
        assertThat(next).allSatisfy(r -> assertThat(r.deliveryCount()).hasValue((short) 1));
        next.forEach(r -> c.acknowledge(r, AcknowledgeType.ACCEPT));
        c.commitSync(Duration.ofSeconds(10));
      }
    }
  }

  @Test
  @Timeout(60)
  void aReleasedRecordComesBackWithItsDeliveryCountUpByOne() {
    try (KafkaTestClient kafka = KafkaTestClient.shared()) {
      String group = KafkaTestClient.unique("share-rules");
      String topic = setUp(kafka, group, 1);
      try (KafkaShareConsumer<byte[], byte[]> c = consumer(kafka, group, 10)) {
        c.subscribe(List.of(topic));
        ConsumerRecord<byte[], byte[]> first = firstRecords(c).iterator().next();
        assertThat(first.deliveryCount()).hasValue((short) 1);
        c.acknowledge(first, AcknowledgeType.RELEASE);
        c.commitSync(Duration.ofSeconds(10));
        ConsumerRecord<byte[], byte[]> again = firstRecords(c).iterator().next();
        assertThat(again.offset()).isEqualTo(first.offset());
        assertThat(again.deliveryCount()).hasValue((short) 2);
        c.acknowledge(again, AcknowledgeType.ACCEPT);
        c.commitSync(Duration.ofSeconds(10));
      }
    }
  }

  @Test
  @Timeout(30)
  void aGroupsConfigsIncludingTheBrokersDefaultsAreReadableBeforeTheGroupExists() throws Exception {
    try (KafkaTestClient kafka = KafkaTestClient.shared()) {
      String group = KafkaTestClient.unique("share-rules");
      ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
      Config before = kafka.admin().describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
      assertThat(before.get("share.delivery.count.limit").value()).isEqualTo("5");
      assertThat(before.get("share.record.lock.duration.ms").value()).isEqualTo("30000");
      assertThat(before.get("share.auto.offset.reset").value()).isEqualTo("latest");
      assertThat(before.get("share.renew.acknowledge.enable").value()).isEqualTo("true");
      assertThat(before.get("share.auto.offset.reset").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
      kafka.alterGroupConfig(group, Map.of("share.delivery.count.limit", "3"));
      Config after = kafka.admin().describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
      assertThat(after.get("share.delivery.count.limit").value()).isEqualTo("3");
      assertThat(after.get("share.delivery.count.limit").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
    }
  }
}
