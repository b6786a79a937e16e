package dev.pew.testing;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * Keeps the 4.x test kit's broker on 127.0.0.1. The kit binds every listener's port itself before
 * the servers start ({@link PreboundSocketFactoryManager}, so a controller's port is known before
 * the quorum configuration is written), and binds it on the wildcard address whatever the
 * {@code listeners} property says: an unauthenticated broker reachable from the network, on a
 * developer's machine during {@code ./run-local.sh}. (The 3.7 kit bound the listener's own host.)
 *
 * <p>This manager binds the same ports on the loopback address instead; {@link #install} puts it
 * into a kit builder in place of the private one (reflection on Kafka's internal test API, which
 * the pom pins: an upgrade that renames the field fails here, loudly). Thread-safe.
 */
final class LoopbackPorts extends PreboundSocketFactoryManager {

  private final Map<Integer, Map<String, ServerSocketChannel>> sockets = new HashMap<>();
  private final Map<Integer, Set<String>> used = new HashMap<>();
  private boolean closed;

  /** Replaces {@code builder}'s socket manager (before {@code build()}); returns the builder. */
  static KafkaClusterTestKit.Builder install(KafkaClusterTestKit.Builder builder) {
    try {
      Field field = KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
      field.setAccessible(true);
      field.set(builder, new LoopbackPorts());
      return builder;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("this Kafka test kit no longer has KafkaClusterTestKit.Builder.socketFactoryManager; "
          + "check how it binds its ports (see " + LoopbackPorts.class.getName() + ")", e);
    }
  }

  @Override
  public synchronized int getOrCreatePortForListener(int nodeId, String listener) throws IOException {
    Map<String, ServerSocketChannel> forNode = sockets.computeIfAbsent(nodeId, n -> new HashMap<>());
    ServerSocketChannel channel = forNode.get(listener);
    if (channel == null) {
      if (closed) {
        throw new IllegalStateException("cannot open new socket: manager is closed");
      }
      channel = ServerSocketFactory.INSTANCE.openServerSocket(listener,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), -1, -1);
      forNode.put(listener, channel);
    }
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  @Override
  public synchronized ServerSocketChannel getSocketForListenerAndMarkAsUsed(int nodeId, String listener) {
    ServerSocketChannel channel = sockets.getOrDefault(nodeId, Map.of()).get(listener);
    if (channel != null) {
      used.computeIfAbsent(nodeId, n -> new HashSet<>()).add(listener);
    }
    return channel;
  }

  /** Closes the sockets no server took over (the servers close theirs). */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    sockets.forEach((node, byListener) -> byListener.forEach((listener, channel) -> {
      if (!used.getOrDefault(node, Set.of()).contains(listener)) {
        Utils.closeQuietly(channel, "server socket");
      }
    }));
    super.close();
  }
}
