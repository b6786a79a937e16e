package dev.pew.fleet;

import dev.pew.dispatch.RateLimiter;
import dev.pew.dispatch.TokenBucketRateLimiter;
import java.time.Clock;

/**
 * {@code RATE_LIMIT_SCOPE=group}: this instance's part of the group's rate limit, a token bucket
 * whose rate and burst are {@code share} times the group's ({@code RATE_LIMIT_PER_SECOND}, its
 * burst, rounded down so that the members' bursts add up to no more than the group's; never below
 * one permit). The bucket keeps its tokens when the share changes, so a
 * new share never grants a fresh burst. A share of 0 grants nothing.
 *
 * <p>Not thread-safe: confine to the dispatcher's event loop (the fleet sets the share there too).
 */
public final class GroupRateLimiter implements RateLimiter {

  /** How long a caller with no share waits before asking again. */
  static final long NO_SHARE_WAIT_MS = 100;

  private final double groupRate;
  private final int groupBurst;
  private TokenBucketRateLimiter bucket;
  private double share;

  public GroupRateLimiter(double groupRate, int groupBurst, Clock clock) {
    this.groupRate = groupRate;
    this.groupBurst = groupBurst;
    this.bucket = new TokenBucketRateLimiter(groupRate, groupBurst, clock);
    this.share = 1;
    share(0);
  }

  /** This instance's part of the group's limit, 0 to 1. */
  public void share(double newShare) {
    double s = Math.max(0, Math.min(1, newShare));
    if (s == share) {
      return;
    }
    share = s;
    if (s > 0) {
      bucket = bucket.withRate(Math.max(TokenBucketRateLimiter.MIN_RATE, groupRate * s),
          (int) Math.max(1, Math.floor(groupBurst * s + 1e-9)));
    }
  }

  public double share() {
    return share;
  }

  /** One second of the group's calls: a member with that much work waiting is fully busy ({@link Shares}). */
  int busyDemand() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(groupRate)));
  }

  @Override
  public long tryAcquire() {
    return share > 0 ? bucket.tryAcquire() : NO_SHARE_WAIT_MS;
  }
}
