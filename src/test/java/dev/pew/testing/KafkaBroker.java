package dev.pew.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The one real Kafka broker a test run shares: Kafka's own KRaft test kit in this JVM (a combined
 * controller+broker on 127.0.0.1), or the broker named by {@code KAFKA_BOOTSTRAP_SERVERS} when that
 * is set. Started on first use, stopped when the JVM exits. Tests give themselves their own topics
 * and consumer groups instead of cleaning up.
 *
 * <p><b>The recipe</b> (Kafka 4.3 test kit, {@code org.apache.kafka:kafka-test-common-runtime}):
 * <ul>
 *   <li>The kit's own default bootstraps the cluster at {@code MetadataVersion.latestTesting()} with
 *       unstable features and API versions enabled; this one uses what a freshly formatted
 *       production broker of the same release has ({@code latestProduction()} and each production
 *       feature's default level there: {@code group.version=1}, the KIP-848 consumer protocol, and
 *       {@code share.version=1}, share groups), with the unstable switches off.
 *   <li>Single node: the internal topics (offsets, transactions, share-group state) have
 *       replication factor and min ISR 1.
 *   <li>{@code group.consumer.min.session.timeout.ms} and {@code group.consumer.min.heartbeat.interval.ms}
 *       are lowered so a test may give its consumer-protocol group the same quick session (6 s) and
 *       heartbeat (0.5 s) that classic groups get from the client ({@link WorkerHarness}); the broker's
 *       defaults for groups without such a setting stay Kafka's (45 s, 5 s).
 *   <li>Unlike 3.7, the 4.x kit keeps listener settings given as config properties
 *       ({@code putIfAbsent}), but it binds the ports itself before the servers start, on the
 *       wildcard address: {@link LoopbackPorts} makes it bind 127.0.0.1 only.
 * </ul>
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
   * Starts a separate single-node KRaft cluster with extra broker properties (which replace the
   * defaults of the same name). The caller closes it.
   */
  public static KafkaClusterTestKit startCluster(Map<String, String> extraProps) throws Exception {
    Map<String, String> props = new LinkedHashMap<>(brokerDefaults());
    props.put("listeners", "EXTERNAL://127.0.0.1:0,CONTROLLER://127.0.0.1:0");
    props.put("offsets.topic.num.partitions", "5");
    props.put("auto.create.topics.enable", "true");
    props.put("num.partitions", "1");
    props.putAll(extraProps);
    return start(props);
  }

  /**
   * The single-node settings every test cluster shares (listeners and topic defaults are the
   * caller's): internal topics on one replica, no initial rebalance delay, short minimum sessions
   * for both group protocols, production features only.
   */
  static Map<String, String> brokerDefaults() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("group.min.session.timeout.ms", "1000");
    p.put("group.consumer.min.session.timeout.ms", "1000");
    p.put("group.consumer.min.heartbeat.interval.ms", "100");
    p.put("group.share.min.session.timeout.ms", "1000");
    p.put("group.share.min.heartbeat.interval.ms", "100");
    p.put("group.share.min.record.lock.duration.ms", "1000");
    p.put("unstable.api.versions.enable", "false");
    p.put("unstable.feature.versions.enable", "false");
    return p;
  }

  /** Formats, starts and waits for a single combined node with {@code props}; closes it again on failure. */
  static KafkaClusterTestKit start(Map<String, String> props) throws Exception {
    TestKitNodes nodes = new TestKitNodes.Builder(productionBootstrap())
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .build();
    KafkaClusterTestKit.Builder builder = LoopbackPorts.install(new KafkaClusterTestKit.Builder(nodes));
    props.forEach(builder::setConfigProp);
    KafkaClusterTestKit kit = builder.build();
    try {
      formatQuietly(kit);
      kit.startup();
      kit.waitForReadyBrokers();
    } catch (Exception e) {
      kit.close();
      throw e;
    }
    return kit;
  }

  /**
   * The 4.x kit's {@code format()} prints the bootstrap metadata and the formatted directory to
   * {@code System.out} (the 3.7 kit kept that to itself); here it goes to the log at debug level,
   * so the quick start's console shows only its own lines.
   */
  private static void formatQuietly(KafkaClusterTestKit kit) throws Exception {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    synchronized (KafkaBroker.class) {
      java.io.PrintStream out = System.out;
      System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        kit.format();
      } finally {
        System.setOut(out);
      }
    }
    org.slf4j.LoggerFactory.getLogger(KafkaBroker.class).debug("format: {}", captured.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
  }

  /** What {@code kafka-storage format} of this release writes: the latest production metadata version and feature levels. */
  private static BootstrapMetadata productionBootstrap() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream().collect(Collectors.toMap(
        Feature::featureName, f -> f.defaultLevel(version), (a, b) -> a, TreeMap::new));
    return BootstrapMetadata.fromVersions(version, features, "pew-test-broker");
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
      // The kit names its listener localhost though it binds 127.0.0.1 only; saying 127.0.0.1
      // spares clients a first try on ::1.
      return cluster.bootstrapServers().replace("localhost:", "127.0.0.1:");
    } catch (Exception e) {
      throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
    }
  }
}
