package dev.pew.intake.share;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;

/**
 * What the share-group intake asks the cluster besides records: the input topic's partitions, the
 * group's configs, its members and lag. One method per question, all asynchronous (the intake thread
 * never blocks on them), so that tests can answer them. Implementations are thread-safe.
 */
public interface ShareGroupAdmin {

  /** A config of the group: its value, and whether it was set for the group (not the broker's default). */
  record GroupConfig(String value, boolean explicit) {}

  /** The topic's partitions; empty when the topic does not exist (yet). */
  CompletionStage<Set<TopicPartition>> partitions(String topic);

  /** The group's {@code share.*} configs by name (they exist before the group does). */
  CompletionStage<Map<String, GroupConfig>> configs(String group);

  /** Sets configs of the group. */
  CompletionStage<Void> setConfigs(String group, Map<String, String> configs);

  /** The group's members by client id, each with its assigned partitions; empty when the group has none. */
  CompletionStage<Map<String, Set<TopicPartition>>> members(String group);

  /** The group's lag per partition (records not yet acknowledged, up to the end), where the broker knows it. */
  CompletionStage<Map<TopicPartition, Long>> lag(String group);
}
