package dev.pew.fleet;

import dev.pew.dispatch.HoldController;
import dev.pew.dispatch.Throttle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one consumer group act as one client of the API, coordinated through Kafka
 * alone: every member writes its state to the control topic every {@code heartbeatMs} and reads the
 * others' ({@link ControlChannel}).
 *
 * <ul>
 *   <li><b>Rate</b> ({@code RATE_LIMIT_SCOPE=group}): each member's bucket gets its share of the
 *       group's limit ({@link Shares}, {@link GroupRateLimiter}); a member gone silent for {@code
 *       expiryMs} (crashed) or gone (SIGTERM: it says so) leaves its share to the others.
 *   <li><b>Retry-After</b>: a 429's pause, received by any member, is published at once and adopted
 *       by all ({@link Throttle#adopt}): nobody starts a call until it ends.
 *   <li><b>Hold</b>: an outage or a refused credential seen by one member holds all ({@link
 *       HoldController#adopt}); one member probes for the fleet (the lowest id among the holding
 *       members with work), the others wait; its first accepted call releases everyone at once.
 * </ul>
 *
 * <p>A member starts no call before it has read the channel up to its own first heartbeat ({@link
 * JoinGate}): a pause or hold in force when it joined is adopted first.
 *
 * <p>Records of another group (the topic may be shared), stale ones and malformed ones are ignored
 * and counted. When the channel is lost, the member keeps to equal parts of the last known
 * membership and reports itself degraded.
 *
 * <p>Threading: everything runs on the dispatcher's event loop ({@code context}); the status getters
 * are safe from any thread.
 */
public final class Fleet implements HoldController.Origin {

  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
  /** Events older than this are history, not news. */
  private static final long STALE_MS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final FleetOptions options;
  private final ControlChannel channel;
  private final Throttle throttle;
  private final HoldController hold;
  private final Optional<GroupRateLimiter> limiter;
  private final JoinGate gate;
  private final IntSupplier demand;
  private final Runnable wake;
  private final FleetMetrics metrics;
  private final Clock clock;
  private final Shares shares;
  private long timer = -1;
  private long startedAt;
  private long selfSeenAt;
  private long releasedAt;
  private volatile int members = 1;
  private volatile double share = 1;
  private volatile boolean prober;
  private volatile boolean degraded;

  public Fleet(Vertx vertx, Context context, FleetOptions options, ControlChannel channel, Throttle throttle,
      HoldController hold, Optional<GroupRateLimiter> limiter, JoinGate gate, IntSupplier demand, Runnable wake,
      FleetMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.channel = channel;
    this.throttle = throttle;
    this.hold = hold;
    this.limiter = limiter;
    this.gate = gate;
    this.demand = demand;
    this.wake = wake;
    this.metrics = metrics;
    this.clock = clock;
    this.shares = new Shares(options.instance(), options.expiryMs(), options.increaseDelayMs(),
        limiter.map(GroupRateLimiter::busyDemand).orElse(Integer.MAX_VALUE), clock);
    this.share = limiter.isPresent() ? 0 : 1;
  }

  /** Joins: shares this member's pauses and holds, reads the others', and beats. Call on {@code context}. */
  public void start() {
    throttle.shareWith(until -> publish(ControlMessage.PAUSE, null, null, until));
    hold.shareWith(this);
    channel.start(batch -> context.runOnContext(v -> receive(batch)), metrics::controlIgnored);
    startedAt = clock.millis();
    timer = vertx.setPeriodic(options.heartbeatMs(), id -> beat());
    beat(); // the first heartbeat at once: reading it back opens the gate
  }

  /** Leaves: the others take this member's share at once. Blocks up to a few seconds: call off the event loop. */
  public void stop() {
    vertx.cancelTimer(timer);
    publish(ControlMessage.LEAVE, null, null, 0);
    channel.close();
  }

  @Override
  public void started(HoldController.Reason reason, String cause) {
    publish(ControlMessage.HOLD, reason.name(), cause, 0);
  }

  @Override
  public void ended() {
    publish(ControlMessage.RELEASE, null, null, 0);
  }

  private void publish(String type, String holdReason, String cause, long pausedUntil) {
    channel.publish(new ControlMessage(type, options.group(), options.instance(), clock.millis(), demand.getAsInt(),
        holdReason, cause, pausedUntil));
  }

  private void beat() {
    long now = clock.millis();
    // Until this member has read its own heartbeat back, and everyone else's since, the membership is
    // unknown: no share yet. A member whose channel is not up yet does not call either.
    boolean joining = (selfSeenAt == 0 || now - selfSeenAt < 2 * options.heartbeatMs())
        && now - startedAt < 2 * options.expiryMs();
    if (!gate.isOpen() && selfSeenAt == 0 && now - startedAt >= 2 * options.expiryMs()) {
      LOG.warn("fleet: the control channel is not up after {} ms; calling without having heard the others", now - startedAt);
      openGate();
    }
    boolean lost = !joining && (selfSeenAt == 0 || channel.lastRead() < now - options.expiryMs()
        || channel.lastWriteFailure() > now - options.expiryMs());
    if (lost != degraded) {
      degraded = lost;
      if (lost) {
        LOG.warn("fleet: control channel lost; keeping to 1/{} of the group's limit (the last known membership)", members);
      } else {
        LOG.info("fleet: control channel back; {} members", shares.members());
      }
    }
    shares.expire(lost);
    members = shares.members();
    int own = demand.getAsInt();
    double next = joining ? 0 : shares.next(own, lost);
    share = limiter.isPresent() ? next : 1;
    limiter.ifPresent(l -> l.share(next));
    choseProber(own);
    HoldController.Reason r = hold.reason();
    channel.publish(new ControlMessage(ControlMessage.HEARTBEAT, options.group(), options.instance(), now, own,
        r == null ? null : r.name(), null, throttle.pausedUntil()));
  }

  private void receive(List<ControlMessage> batch) {
    long now = clock.millis();
    for (ControlMessage m : batch) {
      if (!m.group().equals(options.group())) {
        metrics.controlIgnored("other_group");
        continue;
      }
      if (m.instance().equals(options.instance())) {
        if (selfSeenAt == 0 && ControlMessage.HEARTBEAT.equals(m.type())) {
          selfSeenAt = now;
          openGate();
        }
        continue;
      }
      if (m.at() < now - STALE_MS) {
        metrics.controlIgnored("stale");
        continue;
      }
      switch (m.type()) {
        case ControlMessage.HEARTBEAT -> {
          shares.heard(m.instance(), m.demand(), m.hold());
          if (m.hold() != null && m.at() > releasedAt) {
            adopt(m);
          }
          throttle.adopt(m.pausedUntil());
        }
        case ControlMessage.PAUSE -> {
          if (throttle.adopt(m.pausedUntil())) {
            LOG.info("fleet: {} was asked to wait (Retry-After): no call starts for {} ms", m.instance(),
                Math.max(0, m.pausedUntil() - now));
          }
        }
        case ControlMessage.HOLD -> adopt(m);
        case ControlMessage.RELEASE -> {
          releasedAt = m.at();
          if (hold.holding()) {
            hold.adoptEnd();
            wake.run();
          }
        }
        case ControlMessage.LEAVE -> shares.left(m.instance());
        default -> metrics.controlIgnored("malformed");
      }
    }
    members = shares.members();
    choseProber(demand.getAsInt());
  }

  /** Opens the gate once this batch is through (a pause in it is adopted first), and wakes the dispatcher. */
  private void openGate() {
    if (!gate.isOpen()) {
      context.runOnContext(v -> {
        if (!gate.isOpen()) {
          LOG.info("fleet: calls may start, {} ms after joining ({} members known)", clock.millis() - startedAt, shares.members());
        }
        gate.open();
        wake.run();
      });
    }
  }

  private void adopt(ControlMessage m) {
    HoldController.Reason reason;
    try {
      reason = HoldController.Reason.valueOf(m.hold());
    } catch (RuntimeException e) {
      metrics.controlIgnored("malformed");
      return;
    }
    if (!hold.holding() || hold.reason() != reason) {
      hold.adopt(reason, "the fleet holds: " + m.instance() + (m.cause() == null ? "" : " saw " + m.cause()));
    }
  }

  private void choseProber(int own) {
    Optional<String> chosen = shares.prober(hold.holding(), own);
    boolean mine = chosen.isEmpty() || chosen.get().equals(options.instance());
    boolean was = hold.mayProbe();
    hold.probeGranted(mine);
    prober = hold.holding() && chosen.isPresent() && mine;
    if (mine && !was) {
      wake.run();
    }
  }

  /** Members of the fleet this instance knows, itself included. Safe from any thread. */
  public int members() {
    return members;
  }

  /** This instance's share of the group's rate limit (1 with {@code RATE_LIMIT_SCOPE=instance}). */
  public double share() {
    return share;
  }

  /** Whether this instance is the one probing while the fleet holds. */
  public boolean prober() {
    return prober;
  }

  /** Whether the control channel is lost (the conservative share applies). */
  public boolean degraded() {
    return degraded;
  }
}
