package dev.pew.intake.share;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** {@link ShareGroupAdmin} over Kafka's own {@link Admin} (shared with the readiness check). Thread-safe. */
public final class KafkaShareGroupAdmin implements ShareGroupAdmin {

  private final Admin admin;

  public KafkaShareGroupAdmin(Admin admin) {
    this.admin = admin;
  }

  @Override
  public CompletionStage<Set<TopicPartition>> partitions(String topic) {
    return admin.describeTopics(List.of(topic)).allTopicNames().toCompletionStage().handle((topics, error) -> {
      if (error != null) {
        if (cause(error) instanceof UnknownTopicOrPartitionException) {
          return Set.<TopicPartition>of();
        }
        throw new IllegalStateException(cause(error));
      }
      Set<TopicPartition> out = new HashSet<>();
      topics.get(topic).partitions().forEach(p -> out.add(new TopicPartition(topic, p.partition())));
      return out;
    });
  }

  @Override
  public CompletionStage<Map<String, GroupConfig>> configs(String group) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    return admin.describeConfigs(List.of(resource)).all().toCompletionStage().thenApply(all -> {
      Map<String, GroupConfig> out = new HashMap<>();
      for (ConfigEntry e : all.get(resource).entries()) {
        if (e.name().startsWith("share.")) {
          out.put(e.name(), new GroupConfig(e.value(), e.source() == ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG));
        }
      }
      return out;
    });
  }

  @Override
  public CompletionStage<Void> setConfigs(String group, Map<String, String> configs) {
    List<AlterConfigOp> ops = configs.entrySet().stream()
        .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList();
    return admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops)).all()
        .toCompletionStage();
  }

  @Override
  public CompletionStage<Map<String, Set<TopicPartition>>> members(String group) {
    return admin.describeShareGroups(List.of(group)).all().toCompletionStage().handle((groups, error) -> {
      if (error != null) {
        if (cause(error) instanceof GroupIdNotFoundException) {
          return Map.<String, Set<TopicPartition>>of();
        }
        throw new IllegalStateException(cause(error));
      }
      Map<String, Set<TopicPartition>> out = new HashMap<>();
      groups.get(group).members().forEach(m ->
          out.computeIfAbsent(m.clientId(), id -> new HashSet<>()).addAll(m.assignment().topicPartitions()));
      return out;
    });
  }

  @Override
  public CompletionStage<Map<TopicPartition, Long>> lag(String group) {
    return admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group)
        .toCompletionStage().thenApply(offsets -> {
          Map<TopicPartition, Long> out = new HashMap<>();
          offsets.forEach((tp, info) -> {
            if (info != null) {
              info.lag().ifPresent(lag -> out.put(tp, lag));
            }
          });
          return out;
        });
  }

  private static Throwable cause(Throwable e) {
    Throwable c = e;
    while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
