package dev.pew.testing;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * A separate single-node KRaft cluster (Kafka's test kit, in this JVM, on 127.0.0.1) whose client
 * listener speaks {@code SASL_PLAINTEXT} with the {@code PLAIN} mechanism. Close it at the end of
 * the test.
 *
 * <p><b>The recipe</b> (Kafka 4.3 test kit, on top of {@link KafkaBroker}'s single-node settings):
 * <ul>
 *   <li>The kit's own SASL mode ({@code TestKitNodes.Builder.setBrokerSecurityProtocol(SASL_PLAINTEXT)})
 *       is not used: it installs {@code StandardAuthorizer} with fixed users and points the JVM-wide
 *       {@code java.security.auth.login.config} at a JAAS file of its own. The kit's listener stays
 *       PLAINTEXT as far as the kit knows; the listener properties below are plain config properties,
 *       which the 4.x kit keeps ({@code putIfAbsent}; the 3.7 kit overwrote them).
 *   <li>{@code listener.security.protocol.map=EXTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT}: the
 *       test kit's listener names stay (so {@code bootstrapServers()} still finds the port); the
 *       controller listener stays plain.
 *   <li>{@code sasl.enabled.mechanisms=PLAIN}.
 *   <li>Inter-broker traffic uses the EXTERNAL listener (the test kit sets it as the inter-broker
 *       listener), so the broker is a SASL client of itself too:
 *       {@code sasl.mechanism.inter.broker.protocol=PLAIN}, and the listener's JAAS config carries
 *       the broker's own {@code username}/{@code password} besides the accepted
 *       {@code user_<name>="<password>"} entries:
 *       {@code listener.name.external.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule
 *       required username="broker" password="..." user_broker="..." user_worker="...";}
 *   <li>No authorizer: an authenticated user may do anything, which is all the worker needs here.
 * </ul>
 *
 * <p>Thread-safe for reading its properties; start and close from one thread.
 */
public final class SaslKafkaCluster implements AutoCloseable {

  public static final String PROTOCOL = "SASL_PLAINTEXT";
  public static final String MECHANISM = "PLAIN";
  private static final String BROKER_USER = "broker";
  private static final String BROKER_PASSWORD = "broker-inter-secret";

  private final KafkaClusterTestKit kit;

  private SaslKafkaCluster(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  /** Starts a cluster accepting exactly {@code users} (name to password), plus the broker's own user. */
  public static SaslKafkaCluster start(Map<String, String> users) throws Exception {
    Map<String, String> props = new HashMap<>(KafkaBroker.brokerDefaults());
    props.put("listeners", "EXTERNAL://127.0.0.1:0,CONTROLLER://127.0.0.1:0");
    props.put("listener.security.protocol.map", "EXTERNAL:" + PROTOCOL + ",CONTROLLER:PLAINTEXT");
    props.put("sasl.enabled.mechanisms", MECHANISM);
    props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    props.put("listener.name.external.plain.sasl.jaas.config", brokerJaas(users));
    props.put("offsets.topic.num.partitions", "3");
    props.put("auto.create.topics.enable", "false");
    return new SaslKafkaCluster(KafkaBroker.start(props));
  }

  private static String brokerJaas(Map<String, String> users) {
    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
        .append(" username=\"").append(BROKER_USER).append("\" password=\"").append(BROKER_PASSWORD).append('"')
        .append(" user_").append(BROKER_USER).append("=\"").append(BROKER_PASSWORD).append('"');
    users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
    return jaas.append(';').toString();
  }

  /** The client JAAS line for PLAIN: what {@code sasl.jaas.config} (or {@code KAFKA_SASL_JAAS_CONFIG}) holds. */
  public static String clientJaas(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  /** {@code 127.0.0.1:<port>} style bootstrap list of the SASL listener. */
  public String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /** Client properties (bootstrap and SASL) for a test's own admin, producer or consumer. */
  public Map<String, Object> clientProperties(String user, String password) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrapServers());
    p.putAll(saslProperties(user, password));
    return p;
  }

  /** Only the SASL properties, as the worker's {@code kafka.common} pass-through takes them. */
  public static Map<String, String> saslProperties(String user, String password) {
    return Map.of("security.protocol", PROTOCOL, "sasl.mechanism", MECHANISM,
        "sasl.jaas.config", clientJaas(user, password));
  }

  @Override
  public void close() throws Exception {
    kit.close();
  }
}
