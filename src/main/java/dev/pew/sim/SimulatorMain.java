package dev.pew.sim;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link XcSimulator} on its own, for docker-compose and local runs:
 *
 * <pre>
 * java -cp password-email-worker.jar dev.pew.sim.SimulatorMain --host 0.0.0.0 --port 8081 \
 *     [--latency-ms MIN[-MAX]] [--fail-rate FRACTION:STATUS] [--token TOKEN] [--seed N] [--no-magic-emails] \
 *     [--tls-p12 FILE --tls-password PW [--client-trust-p12 FILE --client-trust-password PW]]
 * </pre>
 *
 * Logs one line with its URL, stops on SIGTERM. Bad arguments: one line on stderr, exit code 2.
 * Not meant to be used as a library; one instance per JVM.
 */
public final class SimulatorMain {

  static final int DEFAULT_PORT = 8081;
  static final String USAGE = "usage: SimulatorMain [--host ADDR (127.0.0.1; 0.0.0.0 in docker)] [--port N (8081)]"
      + " [--latency-ms MIN[-MAX]] [--fail-rate FRACTION:STATUS] [--token TOKEN] [--seed N] [--no-magic-emails]"
      + " [--tls-p12 FILE --tls-password PW] [--client-trust-p12 FILE --client-trust-password PW]";

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorMain.class);

  private SimulatorMain() {}

  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    SimulatorOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("xc-simulator: " + e.getMessage() + " (--help for usage)");
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    XcSimulator simulator;
    try {
      simulator = XcSimulator.start(vertx, options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("xc-simulator: cannot start: " + cause.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, simulator), "xc-simulator-shutdown"));
    LOG.info("XC simulator listening on {} (control: {}{}/stats)", simulator.url(), simulator.baseUrl(),
        ControlEndpoints.PREFIX);
  }

  private static void stop(Vertx vertx, XcSimulator simulator) {
    try {
      simulator.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      // Not chained on the simulator's future: that completes on an event loop vertx.close() is stopping.
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      LOG.info("XC simulator stopped");
    } catch (Exception e) {
      LOG.warn("XC simulator did not stop cleanly: {}", e.toString());
    }
  }

  /**
   * The options named by {@code args}; {@code --name value} and {@code --name=value} both work.
   *
   * @throws IllegalArgumentException naming the argument that is wrong
   */
  static SimulatorOptions parse(String[] args) {
    SimulatorOptions options = new SimulatorOptions().port(DEFAULT_PORT);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (name.equals("--no-magic-emails")) {
        options.magicEmails(false);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--host" -> options.host(value);
        case "--port" -> options.port(integer(name, value));
        case "--latency-ms" -> latency(options, value);
        case "--fail-rate" -> failRate(options, value);
        case "--token" -> options.acceptedToken(value);
        case "--seed" -> options.seed(longValue(name, value));
        case "--tls-p12" -> options.keyStoreP12(Path.of(value));
        case "--tls-password" -> options.keyStorePassword(value);
        case "--client-trust-p12" -> options.trustStoreP12(Path.of(value));
        case "--client-trust-password" -> options.trustStorePassword(value);
        default -> throw new IllegalArgumentException("unknown argument " + name);
      }
    }
    return options.validate();
  }

  private static void latency(SimulatorOptions options, String value) {
    int dash = value.indexOf('-', 1);
    long min = longValue("--latency-ms", dash < 0 ? value : value.substring(0, dash));
    long max = dash < 0 ? min : longValue("--latency-ms", value.substring(dash + 1));
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("--latency-ms must be MIN or MIN-MAX with 0 <= MIN <= MAX, got " + value);
    }
    options.latency(Duration.ofMillis(min), Duration.ofMillis(max));
  }

  private static void failRate(SimulatorOptions options, String value) {
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--fail-rate must be FRACTION:STATUS such as 0.1:503, got " + value);
    }
    try {
      options.failRate(Double.parseDouble(value.substring(0, colon)))
          .failStatus(Integer.parseInt(value.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--fail-rate must be FRACTION:STATUS such as 0.1:503, got " + value);
    }
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got " + value);
    }
  }

  private static long longValue(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got " + value);
    }
  }
}
