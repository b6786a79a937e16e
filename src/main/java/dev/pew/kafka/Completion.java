package dev.pew.kafka;

import org.apache.kafka.common.TopicPartition;

/** A record whose result Kafka acknowledged: its offset may be committed. */
public record Completion(TopicPartition partition, long offset) {}
