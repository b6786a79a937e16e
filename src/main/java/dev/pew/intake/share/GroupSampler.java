package dev.pew.intake.share;

import dev.pew.intake.IntakeMetrics;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster now and then about the share group and the input topic, without blocking: the
 * group's members (is one of this instance's consumers a member, which partitions are theirs), its
 * lag per partition (exported as metrics), the topic's partitions (new ones are gained by the
 * ledger gate, their records wait until restored) and the group's settings. {@link #sample} and the
 * answers run on the intake's main thread; {@link #inGroup()} and {@link #assignedCount()} are
 * safe from any thread.
 */
final class GroupSampler {

  private static final Logger LOG = LoggerFactory.getLogger(GroupSampler.class);
  private static final long MEMBERS_MS = 5000;
  private static final long MEMBERS_UNTIL_JOINED_MS = 500;
  private static final long LAG_MS = 5000;
  private static final long PARTITIONS_MS = 30_000;
  private static final long SETTINGS_MS = 60_000;

  private final ShareGroupAdmin admin;
  private final ShareIntakeOptions share;
  private final String topic;
  private final IntakeMetrics metrics;
  private final LedgerGate gate;
  private final Consumer<ShareSettings> onSettings;
  private volatile boolean inGroup;
  private volatile int assignedCount;
  private CompletableFuture<Map<String, Set<TopicPartition>>> members;
  private CompletableFuture<Map<TopicPartition, Long>> lag;
  private CompletableFuture<Set<TopicPartition>> partitions;
  private CompletableFuture<Map<String, ShareGroupAdmin.GroupConfig>> configs;
  private long membersChecked;
  private long lagChecked;
  private long partitionsChecked;
  private long settingsChecked;
  private Set<TopicPartition> lastAssigned = Set.of();
  private Set<TopicPartition> lagged = new HashSet<>();

  GroupSampler(ShareGroupAdmin admin, ShareIntakeOptions share, String topic, IntakeMetrics metrics, LedgerGate gate,
      Consumer<ShareSettings> onSettings) {
    this.admin = admin;
    this.share = share;
    this.topic = topic;
    this.metrics = metrics;
    this.gate = gate;
    this.onSettings = onSettings;
  }

  /** Whether one of this instance's consumers is a member of the group, as last sampled. */
  boolean inGroup() {
    return inGroup;
  }

  /** The input partitions assigned to this instance's consumers, as last sampled. */
  int assignedCount() {
    return assignedCount;
  }

  /** The topic's partitions were read then (at start): the next check is due a period later. */
  void partitionsChecked(long at) {
    partitionsChecked = at;
  }

  /** Starts the questions that are due and applies the answers that came in. */
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
      partitions = admin.partitions(topic).toCompletableFuture();
    }
    configs = poll(configs, answer -> onSettings.accept(ShareSettings.of(answer)));
    if (configs == null && now - settingsChecked >= SETTINGS_MS) {
      settingsChecked = now;
      configs = admin.configs(share.group()).toCompletableFuture();
    }
  }

  /** Applies a finished answer (a failed one is dropped: asked again next time); returns the future still running, or null. */
  private <T> CompletableFuture<T> poll(CompletableFuture<T> f, Consumer<T> apply) {
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
    Set<TopicPartition> assigned = new TreeSet<>(Comparator.comparing(TopicPartition::toString));
    for (int i = 0; i < share.lanes(); i++) {
      Set<TopicPartition> a = byClient.get(share.clientId(i));
      if (a != null) {
        ours++;
        a.stream().filter(tp -> tp.topic().equals(topic)).forEach(assigned::add);
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
      if (tp.topic().equals(topic)) {
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
