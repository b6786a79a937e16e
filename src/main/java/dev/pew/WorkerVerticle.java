package dev.pew;

import dev.pew.config.Ordering;
import dev.pew.config.WorkerConfig;
import dev.pew.dispatch.DispatchOptions;
import dev.pew.dispatch.Dispatcher;
import dev.pew.dispatch.ExponentialJitterBackoff;
import dev.pew.dispatch.HoldController;
import dev.pew.dispatch.RateLimiter;
import dev.pew.event.EventParser;
import dev.pew.kafka.IntakeLoop;
import dev.pew.kafka.IntakeOptions;
import dev.pew.kafka.KafkaClientProps;
import dev.pew.kafka.ResultPublisher;
import dev.pew.kafka.ResultTopics;
import dev.pew.ops.OpsServer;
import dev.pew.ops.StatusReporter;
import dev.pew.ops.WorkerMetrics;
import dev.pew.ops.WorkerStatus;
import dev.pew.xc.OutcomeClassifier;
import dev.pew.xc.TokenSource;
import dev.pew.xc.XcClient;
import dev.pew.xc.XcClientOptions;
import dev.pew.xc.impl.FileTokenSource;
import dev.pew.xc.impl.WebClientXcClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * password-email-worker as one Vert.x verticle: wires configuration into the intake thread, the
 * pipeline, the dispatcher with its limits, the API client, the result publisher and the operator
 * endpoints, and takes them down gracefully.
 *
 * <p>{@link #stop()} is the contract's SIGTERM behaviour: stop taking records, let calls in flight
 * finish (bounded by {@code SHUTDOWN_GRACE_MS}), publish their results, commit, close. Everything
 * but the intake thread runs on this verticle's event loop.
 */
public final class WorkerVerticle extends VerticleBase implements WorkerStatus {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  private final WorkerConfig config;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final String instanceId = "pew-" + UUID.randomUUID().toString().substring(0, 8);

  private TokenSource token;
  private XcClient xc;
  private ResultPublisher publisher;
  private Admin admin;
  private Pipeline pipeline;
  private Dispatcher dispatcher;
  private HoldController hold;
  private IntakeLoop intake;
  private OpsServer ops;
  private StatusReporter statusReporter;

  // Hold state mirrored into volatile fields: read by health checks and metrics from other threads.
  private volatile HoldController.Reason holdReasonMirror;
  private volatile long holdStartedMirror;
  private volatile long heldMillisMirror;

  public WorkerVerticle(WorkerConfig config, WorkerMetrics metrics, Clock clock) {
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    return tokenSource().compose(t -> {
      token = t;
      wire();
      return createAdmin();
    }).compose(a -> {
      admin = a;
      ops = new OpsServer(vertx, this, admin, metrics);
      return ops.listen(config.httpPort());
    }).compose(server -> Future.fromCompletionStage(intake.start(), context)).onSuccess(v -> {
      statusReporter = new StatusReporter(vertx, this, metrics);
      statusReporter.start(config.statusIntervalMs());
      LOG.info("worker {} started: {} -> {} / {}{}, {} calls in flight at most, operator endpoints on port {}",
          instanceId, config.topicInput(), config.topicSent(), config.topicFailed(),
          config.topicDeadLetter().map(d -> " (dead letters: " + d + ")").orElse(""), config.maxInFlight(), ops.port());
    });
  }

  private Future<TokenSource> tokenSource() {
    if (config.xcApiTokenFile().isPresent()) {
      return FileTokenSource.open(vertx, config.xcApiTokenFile().get()).map(f -> (TokenSource) f);
    }
    return Future.succeededFuture(config.xcApiToken().map(TokenSource::of).orElse(TokenSource.none()));
  }

  private void wire() {
    XcClientOptions xcOptions = new XcClientOptions()
        .setEndpoint(config.xcEndpointUrl())
        .setTimeoutMs(config.requestTimeoutMs())
        .setMaxConnections(config.maxInFlight())
        .setClientP12(config.xcClientP12().orElse(null))
        .setClientP12Password(config.xcClientP12Password().orElse(""))
        .setCaFile(config.xcCaFile().orElse(null));
    xc = new WebClientXcClient(vertx, xcOptions, token);

    KafkaProducer<byte[], byte[]> producer = KafkaProducer.create(vertx, KafkaClientProps.producer(config, instanceId));
    publisher = new ResultPublisher(vertx, producer, metrics);

    ResultTopics topics = new ResultTopics(config.topicSent(), config.topicFailed(), config.topicDeadLetter().orElse(null));
    pipeline = new Pipeline(vertx, context, topics, publisher, config.ordering() == Ordering.KEY, metrics, clock);

    ExponentialJitterBackoff backoff = ExponentialJitterBackoff.of(config.backoffInitialMs(), config.backoffMaxMs());
    hold = new HoldController(config.holdAfterFailures(), backoff, clock, new HoldLog());
    dispatcher = new Dispatcher(vertx, xc,
        new OutcomeClassifier(config.onAuthFailure(), config.retryAfterMaxMs(), clock),
        new DispatchOptions(config.maxInFlight(), config.maxAttempts(), config.backoffInitialMs()),
        backoff, RateLimiter.perSecond(config.rateLimitPerSecond(), config.rateLimitBurst(), clock),
        hold, clock, metrics, pipeline);
    pipeline.dispatcher(dispatcher);
    token.onChange(() -> context.runOnContext(v -> {
      hold.probeNow();
      dispatcher.wake();
    }));

    Map<String, Object> consumerProps = KafkaClientProps.consumer(config, instanceId);
    IntakeOptions intakeOptions = new IntakeOptions(config.topicInput(), config.maxBuffered(),
        revokeTimeout(consumerProps), Duration.ofMillis(50));
    intake = new IntakeLoop(intakeOptions, consumerProps, pipeline, new EventParser(), metrics, clock);
    pipeline.completions(intake.completions());

    metrics.bind(this);
  }

  /**
   * Kafka's own admin client for the readiness check (vertx-kafka-client's admin is built against
   * Kafka 3.7 and breaks on 4.x clients). Created and closed on a worker thread: both may block
   * (bootstrap address resolution, waiting for the admin thread).
   */
  private Future<Admin> createAdmin() {
    Map<String, Object> props = new HashMap<>(KafkaClientProps.admin(config, instanceId));
    return vertx.executeBlocking(() -> Admin.create(props));
  }

  private Future<Void> closeAdmin() {
    Admin a = admin;
    return vertx.executeBlocking(() -> {
      a.close(Duration.ofSeconds(5));
      return null;
    });
  }

  /**
   * How long a revoked partition waits for its calls in flight: a call's deadline plus time to
   * publish its result, but well inside max.poll.interval.ms, or the group would evict this member
   * while it waits (and then nothing could be committed at all).
   */
  private Duration revokeTimeout(Map<String, Object> consumerProps) {
    long maxPollInterval = Long.parseLong(String.valueOf(consumerProps.getOrDefault(
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000)));
    return Duration.ofMillis(Math.min(config.requestTimeoutMs() + 5000, maxPollInterval / 2));
  }

  @Override
  public Future<?> stop() {
    LOG.info("stopping: no new records; calls in flight get up to {} ms", config.shutdownGraceMs());
    if (statusReporter != null) {
      statusReporter.stop();
    }
    Future<Void> intakeDone = intake == null ? Future.succeededFuture()
        : Future.fromCompletionStage(intake.stop(Duration.ofMillis(config.shutdownGraceMs())), context);
    return intakeDone
        .eventually(() -> publisher == null ? Future.succeededFuture() : publisher.close(Duration.ofSeconds(5)))
        .eventually(() -> xc == null ? Future.succeededFuture() : xc.close())
        .eventually(() -> admin == null ? Future.succeededFuture() : closeAdmin())
        .eventually(() -> ops == null ? Future.succeededFuture() : ops.close())
        .onComplete(ar -> {
          if (token instanceof FileTokenSource f) {
            f.close();
          }
          LOG.info("stopped: sent {}, failed {} since start", metrics.sentTotal(), metrics.failedTotal());
        });
  }

  /** The port of the operator endpoints (useful with {@code HTTP_PORT=0}). */
  public int opsPort() {
    return ops.port();
  }

  /** Highest number of calls outstanding at once since start. */
  public int peakInFlight() {
    return dispatcher.peakInFlight();
  }

  /** The most records unfinished at once since start (memory bound check). */
  public int peakUnfinished() {
    return pipeline.peakPending();
  }

  // --- WorkerStatus ---

  @Override
  public boolean intakeRunning() {
    return intake != null && intake.running();
  }

  @Override
  public boolean inGroup() {
    return intake != null && intake.inGroup();
  }

  @Override
  public int assignedPartitions() {
    return intake == null ? 0 : intake.assignedPartitions();
  }

  @Override
  public boolean publishFailing() {
    return publisher != null && publisher.failing();
  }

  @Override
  public String holdReason() {
    HoldController.Reason r = holdReasonMirror;
    return r == null ? null : r.name();
  }

  @Override
  public long heldMillis() {
    return heldMillisMirror + (holdReasonMirror == null ? 0 : clock.millis() - holdStartedMirror);
  }

  @Override
  public boolean throttled() {
    return dispatcher != null && dispatcher.throttled();
  }

  @Override
  public int inFlight() {
    // Read from scrape and health threads: a moment-old value is fine for those.
    return dispatcher == null ? 0 : dispatcher.inFlight();
  }

  @Override
  public int unfinished() {
    return pipeline == null ? 0 : pipeline.pending();
  }

  @Override
  public boolean intakePaused() {
    return intake != null && intake.intakePaused();
  }

  /** Logs hold changes once each, and mirrors them for intake, readiness and metrics. */
  private final class HoldLog implements HoldController.Listener {
    @Override
    public void holdStarted(HoldController.Reason reason, String cause) {
      holdStartedMirror = clock.millis();
      holdReasonMirror = reason;
      pipeline.holding(true);
      if (reason == HoldController.Reason.CREDENTIALS) {
        LOG.error("the XC API refused the credential ({}): holding; no event is failed; probing until a call is accepted "
            + "(rotate the token file or fix the certificate; ON_AUTH_FAILURE=fail fails events instead)", cause);
      } else {
        LOG.warn("the XC API looks down ({} on consecutive calls for several events): holding intake and calls; "
            + "probing one call at a time, attempts are not spent", cause);
      }
    }

    @Override
    public void holdReasonChanged(HoldController.Reason reason, String cause) {
      holdReasonMirror = reason;
      LOG.error("the XC API refused the credential ({}) while holding for an outage: still holding", cause);
    }

    @Override
    public void holdEnded(HoldController.Reason reason, long heldMillis) {
      heldMillisMirror += heldMillis;
      holdReasonMirror = null;
      pipeline.holding(false);
      LOG.info("the XC API answers again after {} s of holding ({}): resuming at full speed", heldMillis / 1000, reason);
      context.runOnContext(v -> dispatcher.wake());
    }
  }
}
