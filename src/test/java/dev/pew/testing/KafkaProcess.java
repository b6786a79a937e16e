package dev.pew.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker in a process of its own (the same Kafka jars, {@code kafka.Kafka}
 * with a generated server.properties) on fixed loopback ports, so a test can stop it and start it
 * again with its data intact. Slower than {@link KafkaBroker} (about 5 s to start): only for tests
 * that need a broker to go away and come back, and for the benchmark.
 *
 * <p>Kafka 4.3: formatted {@code --standalone} (a one-voter dynamic quorum), which also finalizes
 * this release's production features, among them {@code group.version=1} (the KIP-848 consumer
 * protocol) and {@code share.version=1} (share groups); no broker setting is needed for either.
 */
public final class KafkaProcess implements AutoCloseable {

  private final Path dir;
  private final int port;
  private Process process;

  private KafkaProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Formats a new single-node cluster in {@code dir} and starts it. */
  public static KafkaProcess start(Path dir) {
    int port = freePort();
    int controllerPort = freePort();
    try {
      Path props = dir.resolve("server.properties");
      Files.writeString(props, String.join("\n",
          "process.roles=broker,controller",
          "node.id=1",
          // Kafka 4: a dynamic quorum found through its bootstrap servers (formatted --standalone
          // below); controller.quorum.voters would be the static alternative.
          "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
          "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
          "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
          "controller.listener.names=CONTROLLER",
          "inter.broker.listener.name=PLAINTEXT",
          "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
          "log.dirs=" + dir.resolve("data"),
          "offsets.topic.replication.factor=1",
          "offsets.topic.num.partitions=3",
          "transaction.state.log.replication.factor=1",
          "transaction.state.log.min.isr=1",
          "share.coordinator.state.topic.replication.factor=1",
          "share.coordinator.state.topic.min.isr=1",
          "group.initial.rebalance.delay.ms=0",
          "group.min.session.timeout.ms=1000",
          "group.consumer.min.session.timeout.ms=1000",
          "group.consumer.min.heartbeat.interval.ms=100",
          "num.partitions=1",
          ""));
      Process format = java(dir.resolve("format.log"), "kafka.tools.StorageTool", "format",
          "--standalone", "-t", Uuid.randomUuid().toString(), "-c", props.toString());
      if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
        throw new IllegalStateException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    KafkaProcess kafka = new KafkaProcess(dir, port);
    kafka.resume();
    return kafka;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The broker's process (for measuring its CPU time); empty while it is stopped. */
  public java.util.Optional<ProcessHandle> handle() {
    return process != null && process.isAlive() ? java.util.Optional.of(process.toHandle()) : java.util.Optional.empty();
  }

  /** Starts the broker again on the same ports and data; returns when it answers. */
  public void resume() {
    process = java(dir.resolve("broker.log"), "kafka.Kafka", dir.resolve("server.properties").toString());
    awaitReady(Duration.ofSeconds(60));
  }

  /** Stops the broker with SIGTERM (a controlled shutdown) and waits for it. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Duration timeout) {
    java.util.Properties p = new java.util.Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    try (Admin admin = Admin.create(p)) {
      org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
          .until(() -> !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty());
    }
  }

  private static Process java(Path log, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    try {
      return new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
