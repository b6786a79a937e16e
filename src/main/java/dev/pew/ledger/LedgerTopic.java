package dev.pew.ledger;

import dev.pew.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the ledger topic exists before the worker starts, and says how many partitions it
 * has. A missing topic is created with the input topic's partition count, {@code
 * cleanup.policy=compact,delete} (the newest send per event id; nothing older than the window) and
 * {@code retention.ms} of the keep window plus an hour; when the worker's credentials may not create
 * it, start-up stops with exit code 2 and one line naming the topic and how to create it. Blocking:
 * call it off the event loop.
 */
public final class LedgerTopic {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerTopic.class);
  private static final long TIMEOUT_S = 10;

  private LedgerTopic() {}

  /** The ledger topic's partition count, after creating the topic when it was missing. */
  public static int ensure(Admin admin, String ledgerTopic, String inputTopic, long keepMs) {
    Optional<TopicDescription> existing = describe(admin, ledgerTopic);
    if (existing.isPresent()) {
      return existing.get().partitions().size();
    }
    int partitions = describe(admin, inputTopic).map(d -> d.partitions().size()).orElse(1);
    int brokers = get(() -> admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS).size());
    short replicas = (short) Math.min(3, Math.max(1, brokers));
    String retention = Long.toString(keepMs + 3_600_000L);
    Map<String, String> configs = Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG, retention,
        TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.max(600_000L, Math.min(keepMs / 4, 6 * 3_600_000L))));
    try {
      admin.createTopics(List.of(new NewTopic(ledgerTopic, partitions, replicas).configs(configs)))
          .all().get(TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info("ledger: created topic {} ({} partitions, replication {}, cleanup.policy=compact,delete, retention.ms={})",
          ledgerTopic, partitions, replicas, retention);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        // Another instance was first, a moment ago: the broker that answers may not know the topic yet.
        return partitionsOnceVisible(() -> describe(admin, ledgerTopic), ledgerTopic, 50, 200);
      }
      if (e.getCause() instanceof TopicAuthorizationException || e.getCause() instanceof ClusterAuthorizationException) {
        throw new ConfigException("TOPIC_LEDGER", "topic " + ledgerTopic + " does not exist and the worker may not "
            + "create it: create it with kafka-topics.sh --create --topic " + ledgerTopic + " --partitions " + partitions
            + " --config cleanup.policy=compact,delete --config retention.ms=" + retention + ", or grant CREATE");
      }
      throw new IllegalStateException("could not create the ledger topic " + ledgerTopic + ": " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("could not create the ledger topic " + ledgerTopic + ": " + e, e);
    }
    return partitions;
  }

  /**
   * The partition count of a topic another instance has just created, once a describe shows it
   * ({@code attempts} tries, {@code pauseMs} apart). Two members starting together both find the
   * topic missing; the second one's create fails with "exists" while its describe may still say
   * "unknown". Still not visible after the last try: an {@link IllegalStateException}, which the
   * start tolerates (the first restore checks the topic again).
   */
  static int partitionsOnceVisible(Supplier<Optional<TopicDescription>> describe, String topic, int attempts, long pauseMs) {
    for (int i = 0; i < attempts; i++) {
      Optional<TopicDescription> d = describe.get();
      if (d.isPresent()) {
        return d.get().partitions().size();
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("topic " + topic + " exists (another instance created it) but is not described yet");
  }

  private static Optional<TopicDescription> describe(Admin admin, String topic) {
    try {
      return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS).get(topic));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      if (e.getCause() instanceof TopicAuthorizationException) {
        throw new ConfigException("TOPIC_LEDGER", "the worker may not describe topic " + topic
            + ": grant DESCRIBE, READ and WRITE on it to the worker's principal");
      }
      throw new IllegalStateException("could not describe topic " + topic + ": " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("could not describe topic " + topic + ": " + e, e);
    }
  }

  private interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T get(Call<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException("Kafka did not answer: " + e, e);
    }
  }
}
