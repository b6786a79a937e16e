package dev.pew.fleet;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet's arithmetic, from the members' last heartbeats: who is there, this instance's share of
 * the group's rate limit, and who probes while the fleet holds. Time comes from the injected clock.
 *
 * <p>Share: this member's demand over the fleet's (an idle member gets none, so it sits on no share
 * others need; when every member is idle, equal parts). Demand counts up to {@code busyDemand} (one
 * second of the group's calls): members with at least that much work waiting are equally busy and get
 * equal parts. Without that bound the shares followed every change of queue length, and each member
 * weighed its own demand of now against the others' demand of a heartbeat ago: while queues filled
 * after a rebalance, every member overrated its part and the sum passed 1. A share shrinks at once and grows only after
 * {@code increaseDelayMs}, by when the others have seen the same heartbeats and shrunk theirs: the
 * shares' sum stays within 1 while they move. A member not heard from for {@code expiryMs} is gone
 * and its share goes to the others. While the control channel is lost: equal parts of the last known
 * membership, never more.
 *
 * <p>Not thread-safe: confine to one thread (the fleet's event loop).
 */
final class Shares {

  /** What a member last said of itself. */
  record Member(long heardAt, int demand, String hold) {}

  private final String self;
  private final long expiryMs;
  private final long increaseDelayMs;
  private final int busyDemand;
  private final Clock clock;
  private final Map<String, Member> others = new HashMap<>();
  private int lastKnown = 1;
  private double applied;
  private long growingSince = -1;

  /** @param busyDemand demand from which a member counts as fully busy; at least 1 */
  Shares(String self, long expiryMs, long increaseDelayMs, int busyDemand, Clock clock) {
    if (busyDemand < 1) {
      throw new IllegalArgumentException("busyDemand must be >= 1, was " + busyDemand);
    }
    this.self = self;
    this.expiryMs = expiryMs;
    this.increaseDelayMs = increaseDelayMs;
    this.busyDemand = busyDemand;
    this.clock = clock;
  }

  void heard(String instance, int demand, String hold) {
    if (!instance.equals(self)) {
      others.put(instance, new Member(clock.millis(), demand, hold));
    }
  }

  void left(String instance) {
    others.remove(instance);
  }

  /** Forgets members not heard from for the expiry; not while the channel is lost (their silence says nothing). */
  void expire(boolean channelLost) {
    if (!channelLost) {
      long oldest = clock.millis() - expiryMs;
      others.values().removeIf(m -> m.heardAt() < oldest);
      lastKnown = others.size() + 1;
    }
  }

  /** Members, this one included. */
  int members() {
    return others.size() + 1;
  }

  /** The share this member's demand asks for, from the members' view. */
  double target(int ownDemand) {
    long own = Math.min(ownDemand, busyDemand);
    long total = own;
    for (Member m : others.values()) {
      total += Math.min(m.demand(), busyDemand);
    }
    return total == 0 ? 1.0 / members() : (double) own / total;
  }

  /** The share to apply now (see the class comment); call it on every heartbeat. */
  double next(int ownDemand, boolean channelLost) {
    double target = channelLost ? 1.0 / lastKnown : target(ownDemand);
    long now = clock.millis();
    if (target <= applied) {
      applied = target;
      growingSince = -1;
    } else if (growingSince < 0) {
      growingSince = now;
    } else if (now - growingSince >= increaseDelayMs) {
      applied = target;
      growingSince = -1;
    }
    return applied;
  }

  double applied() {
    return applied;
  }

  /**
   * Who probes for the fleet while it holds: the member with the lowest id among those holding with
   * work to call (a member without work cannot probe); empty when none.
   */
  Optional<String> prober(boolean selfHolding, int ownDemand) {
    TreeMap<String, Member> candidates = new TreeMap<>();
    others.forEach((id, m) -> {
      if (m.hold() != null && m.demand() > 0) {
        candidates.put(id, m);
      }
    });
    if (selfHolding && ownDemand > 0) {
      candidates.put(self, null);
    }
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.firstKey());
  }

  /** The hold reason some other member reports, if any. */
  Optional<String> othersHold() {
    return others.values().stream().map(Member::hold).filter(h -> h != null).findFirst();
  }
}
