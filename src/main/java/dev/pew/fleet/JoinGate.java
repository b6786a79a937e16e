package dev.pew.fleet;

import dev.pew.dispatch.RateLimiter;

/**
 * Keeps a member from starting calls until it knows what the fleet has been told: closed until the
 * member has read its control channel up to its own first heartbeat (so every pause and hold
 * published before it, within the channel's look-back, has been adopted), or until the fleet gives
 * up waiting for a channel that does not come up. Then it is {@code inner}.
 *
 * <p>Without it, a member that joined during another member's {@code Retry-After} pause called
 * through the pause until its channel caught up (58 calls in a loaded build).
 *
 * <p>Not thread-safe: confine to the dispatcher's event loop (the fleet opens it there too).
 */
public final class JoinGate implements RateLimiter {

  /** How long a caller waits before asking again while the gate is closed. */
  static final long CLOSED_WAIT_MS = 50;

  private final RateLimiter inner;
  private boolean open;

  public JoinGate(RateLimiter inner) {
    this.inner = inner;
  }

  /** From now on every request goes to {@code inner}. */
  void open() {
    open = true;
  }

  boolean isOpen() {
    return open;
  }

  /** A closed gate's waits are not a rate limit's (not counted as rate-limit waits). */
  @Override
  public boolean limiting() {
    return open;
  }

  @Override
  public boolean paces() {
    return inner.paces();
  }

  @Override
  public long tryAcquire() {
    return open ? inner.tryAcquire() : CLOSED_WAIT_MS;
  }
}
