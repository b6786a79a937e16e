package dev.pew.intake.share;

import dev.pew.event.EventParser;
import dev.pew.intake.Completions;
import dev.pew.intake.Intake;
import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.IntakeOptions;
import dev.pew.intake.IntakeSink;
import dev.pew.intake.PartitionListener;
import dev.pew.intake.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code INTAKE=share}: reads the input topic as a member of a Kafka share group (KIP-932), where
 * every member takes records from every partition and each record is acknowledged on its own, with
 * plain Kafka share consumers ({@link ShareLane}s), each on a thread of its own, and one thread
 * (like {@code GroupIntake}'s) that prepares the group, routes what the pipeline finished to the
 * lanes and samples the cluster.
 *
 * <p>Guarantees: a record is acknowledged ACCEPT only after the pipeline completed it (its result
 * acknowledged by Kafka, through {@link Completions}); one the pipeline let go, or queued at
 * shutdown, is RELEASEd for another member. Each record's {@link ShareLease} is active only while
 * this member holds the record's acquisition lock, which is renewed while the record is worked on
 * (Retry-After pauses, backoff, holds, slow calls). No record is handed over before the ledger knows
 * its partition's sends ({@link LedgerGate}: every input partition is gained at start; a redelivered
 * record waits for a fresh read of its partition). A record on the last delivery the group allows is
 * handed over marked {@link WorkItem.Delivery#last()}, so that it ends with a result before the broker
 * archives it. Memory: each lane holds at most one batch of {@code maxBuffered / lanes} records, and
 * no lane asks for more while {@code maxBuffered} records are unfinished, the worker holds, results
 * cannot be published or it shuts down.
 *
 * <p>Before the first record it makes sure a new group starts at the earliest offset and reads only
 * committed records (the group's {@code share.auto.offset.reset} and {@code share.isolation.level},
 * when not set for the group: what {@code auto.offset.reset=earliest} and {@code read_committed} are
 * in group mode), reads the group's lock duration and delivery limit, and restores the ledger.
 *
 * <p>Health: {@link #inGroup()} is true once one of this instance's consumers is a member of the
 * group (the group's description, sampled every few seconds); {@link #assignedPartitions()} counts
 * the input partitions assigned to them (in a share group several members share a partition).
 *
 * <p>Threading: each consumer and its records' bookkeeping are confined to its lane's thread; {@link
 * #stop} and the status getters are safe from any thread.
 */
public final class ShareIntake implements Intake {

  private static final Logger LOG = LoggerFactory.getLogger(ShareIntake.class);
  private static final long MEMBERS_MS = 5000;
  private static final long MEMBERS_UNTIL_JOINED_MS = 500;
  private static final long LAG_MS = 5000;
  private static final long PARTITIONS_MS = 30_000;
  private static final long SETTINGS_MS = 60_000;
  private static final long ADMIN_WAIT_MS = 10_000;

  private final IntakeOptions options;
  private final ShareIntakeOptions share;
  private final Function<String, ShareConsumer<byte[], byte[]>> consumers;
  private final ShareGroupAdmin admin;
  private final IntakeSink sink;
  private final Completions completions;
  private final EventParser parser;
  private final IntakeMetrics metrics;
  private final Clock clock;
  private final LedgerGate gate;
  private final List<ShareLane> lanes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<ShareLease> done = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private ShareSettings settings = ShareSettings.DEFAULTS;

  private Thread thread;
  private volatile boolean stopRequested;
  private volatile long shutdownDeadlineNanos;
  private volatile boolean inGroup;
  private volatile int assignedCount;
  private volatile boolean paused = true;
  private volatile int waitingPartitions;
  private volatile int accessRefusals;
  private final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger atShutdown = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger leftAtClose = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger completedAtShutdown = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger releasedAtClose = new java.util.concurrent.atomic.AtomicInteger();
  private final Sampler sampler = new Sampler();

  public ShareIntake(IntakeOptions options, ShareIntakeOptions share, Function<String, ShareConsumer<byte[], byte[]>> consumers,
      ShareGroupAdmin admin, IntakeSink sink, Completions completions, PartitionListener listener, EventParser parser,
      IntakeMetrics metrics, Clock clock) {
    this.options = options;
    this.share = share;
    this.consumers = consumers;
    this.admin = admin;
    this.sink = sink;
    this.completions = completions;
    this.parser = parser;
    this.metrics = metrics;
    this.clock = clock;
    this.gate = new LedgerGate(listener);
  }

  @Override
  public CompletableFuture<Void> start() {
    thread = new Thread(this::run, "pew-intake");
    thread.setDaemon(false);
    thread.start();
    return started;
  }

  @Override
  public CompletableFuture<Void> stop(Duration grace) {
    shutdownDeadlineNanos = System.nanoTime() + grace.toNanos();
    stopRequested = true;
    LockSupport.unpark(thread);
    lanes.forEach(ShareLane::wakeup);
    return stopped;
  }

  @Override
  public boolean running() {
    return thread != null && thread.isAlive() && !stopped.isDone();
  }

  @Override
  public boolean inGroup() {
    return inGroup;
  }

  @Override
  public int assignedPartitions() {
    return assignedCount;
  }

  @Override
  public boolean paused() {
    return paused;
  }

  @Override
  public int waitingPartitions() {
    return waitingPartitions;
  }

  /** The group settings in use (for tests and the status line). Intake thread, or a moment-old value. */
  ShareSettings settings() {
    return settings;
  }

  private void run() {
    List<Thread> laneThreads = new ArrayList<>();
    try {
      started.complete(null);
      if (prepare()) {
        Duration ask = Duration.ofMillis(Math.max(1, options.pollTimeout().toMillis()));
        for (int i = 0; i < share.lanes(); i++) {
          String clientId = share.clientId(i);
          lanes.add(new ShareLane(clientId, consumers.apply(clientId), ask, clock, () -> settings, gate, parser, metrics,
              this::itemDone));
        }
        LOG.info("share intake: group {} on {}, {} consumers of up to {} records each; lock {} ms, delivery limit {}{}",
            share.group(), options.topic(), share.lanes(), ShareIntakeOptions.recordsPerLane(options.maxBuffered(),
                share.lanes()), settings.lockMs(), settings.deliveryLimit(), settings.known() ? "" : " (assumed: Kafka's defaults)");
        for (ShareLane lane : lanes) {
          Thread t = new Thread(() -> runLane(lane), "pew-intake-" + lane.name().substring(lane.name().lastIndexOf("share")));
          lane.runOn(t);
          laneThreads.add(t);
        }
        laneThreads.forEach(Thread::start);
        while (!stopRequested && laneThreads.stream().allMatch(Thread::isAlive)) {
          coordinate();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (!stopRequested) {
          throw new IllegalStateException("a share consumer's thread ended unexpectedly");
        }
        drainForShutdown(laneThreads);
      }
    } catch (Throwable t) {
      LOG.error("intake stopped unexpectedly; the worker is no longer live", t);
      started.completeExceptionally(t);
      stopRequested = true;
      lanes.forEach(ShareLane::wakeup);
      joinAll(laneThreads, Duration.ofSeconds(10));
    } finally {
      stopped.complete(null);
    }
  }

  /** The main thread's turn: routes what the pipeline finished to the lanes, starts ledger reads, samples the cluster. */
  private void coordinate() {
    drainNotifications();
    long now = clock.millis();
    gate.advance(now);
    sampler.sample(now);
    waitingPartitions = gate.waiting();
    paused = !wantMore();
  }

  private boolean wantMore() {
    return !stopRequested && sink.acceptingIntake() && sink.pending() < options.maxBuffered();
  }

  /**
   * One lane's thread: steps its consumer, hands records over, and at shutdown lets its calls in
   * flight finish (renewing their locks) until the grace period ends, then closes the consumer.
   */
  private void runLane(ShareLane lane) {
    try {
      lane.subscribe(options.topic());
      while (!stopRequested) {
        try {
          boolean keepAlive = clock.millis() - lane.lastPollAt() > share.keepAlive().toMillis();
          if (!handOver(lane.step(wantMore(), keepAlive), lane) && !lane.hasNotices()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
          }
          if (accessRefusals > 0) {
            LOG.info("Kafka accepts the worker's credentials again after {} refusals", accessRefusals);
            accessRefusals = 0;
          }
        } catch (AuthenticationException | AuthorizationException e) {
          waitAfterRefusal(e);
        }
      }
      dropped.addAndGet(lane.beginShutdown());
      sink.releaseInactive();
      atShutdown.addAndGet(lane.inPipeline());
      while (lane.busy() && System.nanoTime() < shutdownDeadlineNanos) {
        lane.step(false, false); // acknowledges what finished, keeps renewing what is still called
        if (!lane.hasNotices()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
      }
      lane.step(false, false);
      leftAtClose.addAndGet(lane.inPipeline());
      completedAtShutdown.addAndGet(lane.completedDuringShutdown());
      releasedAtClose.addAndGet(lane.close(Duration.ofSeconds(5)));
    } catch (Throwable t) {
      LOG.error("{}: stopped unexpectedly", lane.name(), t);
      lane.close(Duration.ofSeconds(5));
    }
  }

  private boolean handOver(List<WorkItem> batch, ShareLane lane) {
    int lost = lane.takeLost();
    if (!batch.isEmpty()) {
      sink.accept(batch);
    }
    if (lost > 0) {
      sink.releaseInactive();
    }
    return !batch.isEmpty();
  }

  private static void joinAll(List<Thread> threads, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Before any consumer joins: the group's configs (a new group starts at the earliest offset and
   * reads committed records only), its lock duration and delivery limit, and every input
   * partition's sends in the ledger. Returns false when stopped first.
   */
  private boolean prepare() throws InterruptedException {
    Map<String, ShareGroupAdmin.GroupConfig> configs = await(admin.configs(share.group()), "the share group's configs");
    if (configs != null) {
      Map<String, String> missing = new HashMap<>();
      if (!explicit(configs, ShareSettings.AUTO_OFFSET_RESET)) {
        missing.put(ShareSettings.AUTO_OFFSET_RESET, "earliest");
      }
      if (!explicit(configs, ShareSettings.ISOLATION_LEVEL)) {
        missing.put(ShareSettings.ISOLATION_LEVEL, "read_committed");
      }
      if (!missing.isEmpty()) {
        if (await(admin.setConfigs(share.group(), missing).thenApply(v -> Boolean.TRUE), "setting " + missing) != null) {
          LOG.info("share group {}: set {} (not set for the group: a new group would skip the records already waiting, "
              + "and act on aborted transactions)", share.group(), missing);
        } else {
          LOG.warn("share group {}: could not set {}: a new group starts where the broker's defaults say (latest: records "
              + "already waiting are skipped); set them with kafka-configs --entity-type groups", share.group(), missing);
        }
      }
      settings = settingsOf(configs);
      if (!settings.renewEnabled()) {
        LOG.error("share group {}: {}=false: locks cannot be renewed, so a record held longer than {} ms (Retry-After, "
            + "backoff, a hold) is delivered to another member while this one still works on it; set it to true",
            share.group(), ShareSettings.RENEW_ENABLE, settings.lockMs());
      }
    }
    Set<TopicPartition> partitions = null;
    while (partitions == null && !stopRequested) {
      partitions = await(admin.partitions(options.topic()), "the partitions of " + options.topic());
    }
    if (partitions == null) {
      return false;
    }
    if (partitions.isEmpty()) {
      LOG.warn("share intake: topic {} does not exist (yet); its partitions' sends are restored as they appear", options.topic());
    }
    CompletableFuture<Void> restored = gate.gain(partitions);
    waitingPartitions = gate.waiting();
    while (!restored.isDone() && !stopRequested) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      waitingPartitions = gate.waiting();
    }
    waitingPartitions = gate.waiting();
    sampler.partitionsChecked = clock.millis();
    return !stopRequested;
  }

  private static boolean explicit(Map<String, ShareGroupAdmin.GroupConfig> configs, String name) {
    ShareGroupAdmin.GroupConfig c = configs.get(name);
    return c != null && c.explicit();
  }

  private static ShareSettings settingsOf(Map<String, ShareGroupAdmin.GroupConfig> configs) {
    ShareSettings d = ShareSettings.DEFAULTS;
    try {
      long lock = value(configs, ShareSettings.LOCK_DURATION).map(Long::parseLong).orElse(d.lockMs());
      int limit = value(configs, ShareSettings.DELIVERY_LIMIT).map(Integer::parseInt).orElse(d.deliveryLimit());
      boolean renew = value(configs, ShareSettings.RENEW_ENABLE).map(Boolean::parseBoolean).orElse(d.renewEnabled());
      return new ShareSettings(lock, limit, renew, true);
    } catch (RuntimeException e) {
      LOG.warn("share group configs could not be read ({}): assuming Kafka's defaults", e.toString());
      return d;
    }
  }

  private static java.util.Optional<String> value(Map<String, ShareGroupAdmin.GroupConfig> configs, String name) {
    ShareGroupAdmin.GroupConfig c = configs.get(name);
    return c == null || c.value() == null ? java.util.Optional.empty() : java.util.Optional.of(c.value());
  }

  /** Waits up to 10 s for an admin answer; null (logged) when it failed, timed out or the intake is stopping. */
  private <T> T await(CompletionStage<T> stage, String what) throws InterruptedException {
    CompletableFuture<T> f = stage.toCompletableFuture();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ADMIN_WAIT_MS);
    while (!f.isDone() && !stopRequested && System.nanoTime() < until) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    if (!f.isDone()) {
      if (!stopRequested) {
        LOG.warn("share intake: no answer from Kafka about {} within {} s", what, ADMIN_WAIT_MS / 1000);
      }
      return null;
    }
    try {
      return f.getNow(null);
    } catch (RuntimeException e) {
      LOG.warn("share intake: could not read {}: {}", what, e.getCause() != null ? e.getCause().toString() : e.toString());
      if (f.isCompletedExceptionally() && !stopRequested) {
        Thread.sleep(1000);
      }
      return null;
    }
  }

  private void waitAfterRefusal(RuntimeException e) throws InterruptedException {
    accessRefusals++;
    if (accessRefusals == 1) {
      LOG.error("Kafka refused the worker ({}): {}; not ready; retrying with backoff until it is accepted",
          e.getClass().getSimpleName(), e.getMessage());
    }
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(10_000, 200L << Math.min(accessRefusals, 6)));
    while (!stopRequested && System.nanoTime() < until) {
      Thread.sleep(50);
    }
  }

  /** From the event loop: the pipeline is done with this record's item. */
  private void itemDone(ShareLease lease) {
    done.add(lease);
    LockSupport.unpark(thread);
  }

  /**
   * Routes what the pipeline finished to the lanes. Items are completed (their result acknowledged)
   * before they are done, so a done item whose completion is not in {@link Completions} by now was
   * let go. Main thread.
   */
  private void drainNotifications() {
    List<ShareLease> ended = new ArrayList<>();
    ShareLease l;
    while ((l = done.poll()) != null) {
      ended.add(l);
    }
    Set<ShareLease> completed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    completions.drain(item -> {
      if (item.lease() instanceof ShareLease s) {
        completed.add(s);
        s.lane.deliver(s, true);
      }
    });
    for (ShareLease e : ended) {
      if (!completed.contains(e)) {
        e.lane.deliver(e, false); // the lane ignores it when the completion came in an earlier round
      }
    }
  }

  private void drainForShutdown(List<Thread> laneThreads) {
    paused = true;
    lanes.forEach(ShareLane::wakeup);
    long until = shutdownDeadlineNanos + TimeUnit.SECONDS.toNanos(15);
    while (laneThreads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < until) {
      drainNotifications();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    drainNotifications();
    int finished = completedAtShutdown.get();
    int left = leftAtClose.get();
    int released = Math.max(0, atShutdown.get() - left - finished) + dropped.get();
    metrics.handoverDrained(finished);
    if (atShutdown.get() == 0 && dropped.get() == 0) {
      LOG.info("shutdown: nothing was unfinished; acknowledgements committed");
      return;
    }
    LOG.info("shutdown: drained {} calls in flight (results published, records accepted), released {} queued records to "
        + "the share group and left {} unfinished after the grace period ({} released when the consumers closed); the "
        + "group delivers the released ones to other members", finished, released, left, releasedAtClose.get());
  }

  /** Asks the cluster now and then about the group and the topic, without blocking; applies answers on the intake thread. */
  private final class Sampler {
    private CompletableFuture<Map<String, Set<TopicPartition>>> members;
    private CompletableFuture<Map<TopicPartition, Long>> lag;
    private CompletableFuture<Set<TopicPartition>> partitions;
    private CompletableFuture<Map<String, ShareGroupAdmin.GroupConfig>> configs;
    private long membersChecked;
    private long lagChecked;
    long partitionsChecked;
    private long settingsChecked;
    private Set<TopicPartition> lastAssigned = Set.of();
    private Set<TopicPartition> lagged = new HashSet<>();

    void sample(long now) {
      members = poll(members, answer -> applyMembers(answer));
      if (members == null && now - membersChecked >= (inGroup && assignedCount > 0 ? MEMBERS_MS : MEMBERS_UNTIL_JOINED_MS)) {
        membersChecked = now;
        members = admin.members(share.group()).toCompletableFuture();
      }
      lag = poll(lag, this::applyLag);
      if (lag == null && now - lagChecked >= LAG_MS) {
        lagChecked = now;
        lag = admin.lag(share.group()).toCompletableFuture();
      }
      partitions = poll(partitions, this::applyPartitions);
      if (partitions == null && now - partitionsChecked >= PARTITIONS_MS) {
        partitionsChecked = now;
        partitions = admin.partitions(options.topic()).toCompletableFuture();
      }
      configs = poll(configs, answer -> settings = settingsOf(answer));
      if (configs == null && now - settingsChecked >= SETTINGS_MS) {
        settingsChecked = now;
        configs = admin.configs(share.group()).toCompletableFuture();
      }
    }

    /** Applies a finished answer (a failed one is dropped: asked again next time); returns the future still running, or null. */
    private <T> CompletableFuture<T> poll(CompletableFuture<T> f, java.util.function.Consumer<T> apply) {
      if (f == null || !f.isDone()) {
        return f;
      }
      if (!f.isCompletedExceptionally()) {
        apply.accept(f.join());
      } else {
        LOG.debug("share intake: an admin request failed", f.handle((v, e) -> e).join());
      }
      return null;
    }

    private void applyMembers(Map<String, Set<TopicPartition>> byClient) {
      int ours = 0;
      Set<TopicPartition> assigned = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
      for (int i = 0; i < share.lanes(); i++) {
        Set<TopicPartition> a = byClient.get(share.clientId(i));
        if (a != null) {
          ours++;
          a.stream().filter(tp -> tp.topic().equals(options.topic())).forEach(assigned::add);
        }
      }
      boolean was = inGroup;
      inGroup = ours > 0;
      assignedCount = assigned.size();
      if (inGroup != was || !assigned.equals(lastAssigned)) {
        LOG.info("share group {}: {} of this instance's {} consumers are members, assigned {} (of {} members in all)",
            share.group(), ours, share.lanes(), assigned, byClient.size());
      }
      lastAssigned = assigned;
    }

    private void applyLag(Map<TopicPartition, Long> byPartition) {
      Set<TopicPartition> seen = new HashSet<>();
      byPartition.forEach((tp, records) -> {
        if (tp.topic().equals(options.topic())) {
          metrics.lag(tp, records);
          seen.add(tp);
        }
      });
      for (TopicPartition tp : lagged) {
        if (!seen.contains(tp)) {
          metrics.lagGone(tp);
        }
      }
      lagged = seen;
    }

    private void applyPartitions(Set<TopicPartition> now) {
      Set<TopicPartition> fresh = new HashSet<>(now);
      fresh.removeAll(gate.known());
      if (!fresh.isEmpty()) {
        gate.gain(fresh); // their records wait until restored
      }
    }
  }
}
