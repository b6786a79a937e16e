package dev.pew.fleet;

import dev.pew.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the control topic exists: one partition (one order for the whole fleet), deleted after
 * an hour (heartbeats are news for seconds). When the worker's credentials may not create it,
 * start-up stops with exit code 2 and one line naming the topic and how to create it. Blocking:
 * call it off the event loop.
 */
public final class ControlTopic {

  private static final Logger LOG = LoggerFactory.getLogger(ControlTopic.class);
  private static final long TIMEOUT_S = 10;

  private ControlTopic() {}

  public static void ensure(Admin admin, String topic) {
    try {
      admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
      return;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw failure(topic, e.getCause());
      }
    } catch (Exception e) {
      throw failure(topic, e);
    }
    try {
      int brokers = admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS).size();
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) Math.min(3, Math.max(1, brokers))).configs(Map.of(
          TopicConfig.RETENTION_MS_CONFIG, "3600000", TopicConfig.SEGMENT_MS_CONFIG, "600000"))))
          .all().get(TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info("fleet: created control topic {} (1 partition, retention.ms=3600000)", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw failure(topic, e.getCause());
      }
    } catch (Exception e) {
      throw failure(topic, e);
    }
  }

  private static RuntimeException failure(String topic, Throwable cause) {
    if (cause instanceof TopicAuthorizationException || cause instanceof ClusterAuthorizationException) {
      return new ConfigException("TOPIC_CONTROL", "topic " + topic + " does not exist or is not readable and the worker "
          + "may not create it: create it with kafka-topics.sh --create --topic " + topic + " --partitions 1 "
          + "--config retention.ms=3600000, and grant READ and WRITE on it");
    }
    return new IllegalStateException("could not check the control topic " + topic + ": " + cause, cause);
  }
}
