package dev.pew;

import dev.pew.config.ConfigException;
import dev.pew.config.ConfigLoader;
import dev.pew.config.LoadedConfig;
import dev.pew.config.Settings;
import dev.pew.config.WorkerConfig;
import dev.pew.ops.WorkerMetrics;
import dev.pew.replay.ReplayCommand;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar password-email-worker.jar [--conf FILE]}: loads the configuration (an invalid or
 * missing value stops start-up with exit code 2 and one line naming the key), deploys the {@link
 * WorkerVerticle} on a Vert.x instance with Micrometer/Prometheus metrics, and on SIGTERM stops it
 * gracefully and exits 0. {@code ... replay --from TOPIC ...} replays dead letters instead
 * ({@link ReplayCommand}).
 */
public final class Main {

  /** Exit code for a configuration error (contract). */
  public static final int EXIT_CONFIG = 2;
  /** Exit code when the worker could not start (Kafka client setup, port in use, ...). */
  public static final int EXIT_START = 1;

  private Main() {}

  public static void main(String[] args) {
    JvmDefaults.apply(System.getProperties());
    if (args.length > 0 && args[0].equals("replay")) {
      System.exit(ReplayCommand.run(List.of(args).subList(1, args.length), System.getenv(), System.out, System.err));
      return;
    }
    LoadedConfig loaded;
    try {
      loaded = ConfigLoader.load(List.of(args), System.getenv());
    } catch (ConfigException e) {
      // Before any logger exists: one plain line on stderr.
      System.err.println("password-email-worker: configuration error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }
    WorkerConfig config = loaded.config();
    // Chooses the appender in logback.xml. Loading the configuration already touched Kafka classes
    // whose static loggers made logback configure itself, so configure it again with the choice.
    System.setProperty("pew.log.format", config.get(Settings.LOG_FORMAT).name().toLowerCase(Locale.ROOT));
    reconfigureLogging();
    Logger log = LoggerFactory.getLogger(Main.class);
    loaded.warnings().forEach(w -> log.warn("configuration: {}", w));
    log.info("configuration{}: {}", loaded.file().map(f -> " from " + f + " and the environment").orElse(" from the environment"),
        config.describe());

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Vert.x's per-request HTTP client meters cost a tenth of the event loop in the benchmark's
    // profile and repeat what pew_call_* already counts for every call: off. Pools, the HTTP
    // server and the network stay measured.
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    WorkerVerticle worker = new WorkerVerticle(config, new WorkerMetrics(registry), Clock.systemUTC());
    vertx.deployVerticle(worker).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ConfigException refused) {
        System.err.println("password-email-worker: configuration error: " + refused.getMessage());
        log.error("configuration error: {}", refused.getMessage());
        vertx.close();
        System.exit(EXIT_CONFIG);
      } else if (ar.failed()) {
        log.error("could not start: {}", ar.cause().toString(), ar.cause());
        vertx.close();
        System.exit(EXIT_START);
      } else {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, ar.result(), config, log), "pew-shutdown"));
      }
    });
  }

  private static void reconfigureLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      try {
        new ContextInitializer(context).autoConfig();
      } catch (JoranException e) {
        System.err.println("password-email-worker: logging configuration failed: " + e.getMessage());
      }
    }
  }

  private static void shutdown(Vertx vertx, String deploymentId, WorkerConfig config, Logger log) {
    log.info("SIGTERM: shutting down gracefully");
    // Waited for from this thread, not chained on the event loop: Vert.x stops its event loops
    // while closing and could not run a callback there any more.
    try {
      vertx.undeploy(deploymentId).toCompletionStage().toCompletableFuture()
          .get(config.get(Settings.SHUTDOWN_GRACE_MS) + 15_000, TimeUnit.MILLISECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("shutdown did not finish cleanly: {}", e.toString());
    }
    log.info("stopped gracefully; exiting with code 0");
    System.out.flush();
    // The JVM would report 143 for a SIGTERM; the contract promises 0 after a graceful stop.
    Runtime.getRuntime().halt(0);
  }
}
