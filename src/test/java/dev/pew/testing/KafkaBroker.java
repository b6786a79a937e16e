package dev.pew.testing;

import java.util.Map;
import java.util.Properties;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;

/**
 * The one real Kafka broker a test run shares: Kafka's own KRaft test kit in this JVM (a combined
 * controller+broker listening on 127.0.0.1), or the broker named by {@code KAFKA_BOOTSTRAP_SERVERS}
 * when that is set. Started on first use, stopped when the JVM exits. Tests give themselves their own
 * topics and consumer groups instead of cleaning up.
 *
 * <p>Thread-safe.
 */
public final class KafkaBroker {

  private static volatile String bootstrap;
  private static KafkaClusterTestKit cluster;

  private KafkaBroker() {}

  /** Bootstrap servers of the shared broker, starting it when needed. */
  public static String bootstrapServers() {
    String b = bootstrap;
    if (b != null) {
      return b;
    }
    synchronized (KafkaBroker.class) {
      if (bootstrap == null) {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        bootstrap = external != null && !external.isBlank() ? external : startEmbedded(Map.of());
      }
      return bootstrap;
    }
  }

  /**
   * Starts a separate single-node KRaft cluster with extra broker properties (for listeners with
   * security settings, say). The caller closes it.
   */
  public static KafkaClusterTestKit startCluster(Map<String, String> extraProps) throws Exception {
    TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    Properties defaults = new Properties();
    defaults.put("listeners", "EXTERNAL://127.0.0.1:0,CONTROLLER://127.0.0.1:0");
    defaults.put("offsets.topic.replication.factor", "1");
    defaults.put("offsets.topic.num.partitions", "5");
    defaults.put("transaction.state.log.replication.factor", "1");
    defaults.put("transaction.state.log.min.isr", "1");
    defaults.put("group.initial.rebalance.delay.ms", "0");
    defaults.put("group.min.session.timeout.ms", "1000");
    defaults.put("auto.create.topics.enable", "true");
    defaults.put("num.partitions", "1");
    defaults.putAll(extraProps);
    defaults.forEach((k, v) -> builder.setConfigProp((String) k, (String) v));
    KafkaClusterTestKit kit = builder.build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    return kit;
  }

  private static String startEmbedded(Map<String, String> extra) {
    try {
      cluster = startCluster(extra);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          cluster.close();
        } catch (Exception ignored) {
          // the JVM is going away anyway
        }
      }, "kafka-test-broker-shutdown"));
      return cluster.bootstrapServers();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
    }
  }
}
