package dev.pew.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The shared test broker has what later work builds on: the KIP-848 consumer protocol and share
 * groups (KIP-932) are finalized, and a {@link KafkaShareConsumer} reads and acknowledges records.
 */
class KafkaBrokerFeaturesIT {

  @Test
  void theConsumerProtocolAndShareGroupsAreEnabled() throws Exception {
    try (KafkaTestClient kafka = KafkaTestClient.shared()) {
      FeatureMetadata features = kafka.admin().describeFeatures().featureMetadata().get(10, TimeUnit.SECONDS);
      Map<String, FinalizedVersionRange> finalized = features.finalizedFeatures();
      assertThat(finalized.get("group.version")).as("group.version (KIP-848), finalized: %s", finalized).isNotNull();
      assertThat(finalized.get("group.version").maxVersionLevel()).isGreaterThanOrEqualTo((short) 1);
      assertThat(finalized.get("share.version")).as("share.version (KIP-932), finalized: %s", finalized).isNotNull();
      assertThat(finalized.get("share.version").maxVersionLevel()).isGreaterThanOrEqualTo((short) 1);
    }
  }

  @Test
  void aShareConsumerReadsAndAcknowledgesEveryRecord() throws Exception {
    try (KafkaTestClient kafka = KafkaTestClient.shared()) {
      String topic = KafkaTestClient.unique("share-in");
      String group = KafkaTestClient.unique("share-group");
      kafka.createTopics(2, topic);
      // A new share group starts at the end of the partitions (share.auto.offset.reset=latest):
      // read what is already there instead, as a backlog-draining intake would.
      ConfigResource groupResource = new ConfigResource(ConfigResource.Type.GROUP, group);
      kafka.admin().incrementalAlterConfigs(Map.of(groupResource, List.of(new AlterConfigOp(
          new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
          .all().get(10, TimeUnit.SECONDS);
      int n = 10;
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        records.add(new ProducerRecord<>(topic, KafkaTestClient.bytes("k" + i), KafkaTestClient.bytes("v" + i)));
      }
      kafka.sendAll(records);

      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      p.put("share.acknowledgement.mode", "explicit");
      List<String> seen = new ArrayList<>();
      try (KafkaShareConsumer<byte[], byte[]> consumer =
          new KafkaShareConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (seen.size() < n && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            seen.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
            consumer.acknowledge(r, AcknowledgeType.ACCEPT);
          }
          consumer.commitSync(Duration.ofSeconds(10));
        }
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(
          java.util.stream.IntStream.range(0, n).mapToObj(i -> "v" + i).toList());
    }
  }
}
