package dev.pew.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The rules that decide each answer, in this precedence: hang &gt; auth &gt; down &gt; invalid body
 * (400) &gt; per-email respond &gt; magic email &gt; throttle &gt; fail rate &gt; 200. Latency (plus a
 * magic {@code +slowN}) applies to every answer.
 *
 * <p>Not thread-safe: {@link XcSimulator} guards it with its lock.
 */
final class Behaviour {

  private static final String TOKEN_SCHEME = "apitoken ";

  private final SimulatorOptions defaults;
  private final Map<String, RespondRule> respondRules = new HashMap<>();
  private final Set<String> hungEmails = new HashSet<>();
  private Random latencyRandom;
  private Random failRandom;
  private long minLatencyNanos;
  private long maxLatencyNanos;
  private byte[] acceptedToken;
  private boolean magicEmails;
  private double failFraction;
  private int failStatus;
  private int downStatus;
  private long downSinceNanos;
  private long downForNanos; // < 0: until up()
  private TokenBucket throttle;
  private String throttleRetryAfter;

  Behaviour(SimulatorOptions defaults) {
    this.defaults = defaults;
    reset(0L);
  }

  /** Back to the options the simulator started with, random sequences restarted. */
  void reset(long nowNanos) {
    respondRules.clear();
    hungEmails.clear();
    // Two generators so that changing latency does not shift which calls the fail rate picks.
    latencyRandom = new Random(defaults.seed());
    failRandom = new Random(defaults.seed() ^ 0x9E3779B97F4A7C15L);
    latency(defaults.minLatency(), defaults.maxLatency());
    acceptToken(defaults.acceptedToken());
    magicEmails = defaults.magicEmails();
    failRate(defaults.failRate(), defaults.failStatus());
    up();
    throttle(0, null, nowNanos);
  }

  void latency(Duration min, Duration max) {
    if (min == null || max == null || min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("latency needs 0 <= min <= max, got " + min + ".." + max);
    }
    minLatencyNanos = min.toNanos();
    maxLatencyNanos = max.toNanos();
  }

  void respond(String email, int status, int times, String retryAfter) {
    requireEmail(email);
    requireStatus(status);
    if (times == 0) {
      respondRules.remove(email);
    } else {
      respondRules.put(email, new RespondRule(status, times, retryAfter));
    }
  }

  void hang(String email) {
    requireEmail(email);
    hungEmails.add(email);
  }

  void failRate(double fraction, int status) {
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
      throw new IllegalArgumentException("fail rate fraction must be within 0..1, got " + fraction);
    }
    requireStatus(status);
    failFraction = fraction;
    failStatus = status;
  }

  void down(int status, Duration duration, long nowNanos) {
    requireStatus(status);
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException("down duration must be >= 0, got " + duration);
    }
    downStatus = status;
    downSinceNanos = nowNanos;
    downForNanos = duration == null ? -1 : duration.toNanos();
  }

  void up() {
    downStatus = 0;
  }

  void acceptToken(String token) {
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("token must not be blank (null = no auth)");
    }
    acceptedToken = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  void magicEmails(boolean enabled) {
    magicEmails = enabled;
  }

  void throttle(double perSecond, String retryAfter, long nowNanos) {
    if (!(perSecond >= 0.0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("throttle perSecond must be >= 0 (0 = off), got " + perSecond);
    }
    throttle = perSecond == 0.0 ? null : new TokenBucket(perSecond, nowNanos);
    throttleRetryAfter = retryAfter == null ? "1" : retryAfter;
  }

  /**
   * Decides the answer to a call that arrived at {@code nowNanos} and is the {@code callNumber}-th
   * (1-based) call of its email since the last reset.
   */
  Verdict decide(CallRequest call, String authorization, long callNumber, long nowNanos) {
    MagicEmail magic = magicEmails ? MagicEmail.of(call.email()) : MagicEmail.NONE;
    long delay = randomLatencyNanos() + magic.extraLatencyMs() * 1_000_000L;
    if (call.email() != null && (magic.hang() || hungEmails.contains(call.email()))) {
      return new Verdict(Verdict.HANG, null, null, 0);
    }
    if (acceptedToken != null && !authorized(authorization)) {
      return new Verdict(401, null, "unauthenticated", delay);
    }
    if (isDown(nowNanos)) {
      return new Verdict(downStatus, null, null, delay);
    }
    if (!call.valid()) {
      return new Verdict(400, null, call.problem(), delay);
    }
    RespondRule rule = respondRules.get(call.email());
    if (rule != null) {
      if (rule.remaining > 0 && --rule.remaining == 0) {
        respondRules.remove(call.email());
      }
      return new Verdict(rule.status, rule.retryAfter, null, delay);
    }
    int magicStatus = magic.statusForCall(callNumber);
    if (magicStatus != 0) {
      return new Verdict(magicStatus, magicStatus == 429 ? "1" : null, null, delay);
    }
    if (throttle != null && !throttle.tryAcquire(nowNanos)) {
      return new Verdict(429, throttleRetryAfter, null, delay);
    }
    if (failFraction > 0.0 && failRandom.nextDouble() < failFraction) {
      return new Verdict(failStatus, null, null, delay);
    }
    return new Verdict(200, null, null, delay);
  }

  private long randomLatencyNanos() {
    if (maxLatencyNanos == minLatencyNanos) {
      return minLatencyNanos;
    }
    return minLatencyNanos + latencyRandom.nextLong(maxLatencyNanos - minLatencyNanos + 1);
  }

  private boolean isDown(long nowNanos) {
    if (downStatus == 0) {
      return false;
    }
    if (downForNanos >= 0 && nowNanos - downSinceNanos >= downForNanos) {
      downStatus = 0; // expired: forget it so a later up() or stats read sees the truth
      return false;
    }
    return true;
  }

  private boolean authorized(String authorization) {
    if (authorization == null || authorization.length() < TOKEN_SCHEME.length()
        || !authorization.substring(0, TOKEN_SCHEME.length()).toLowerCase(Locale.ROOT).equals(TOKEN_SCHEME)) {
      return false;
    }
    byte[] presented = authorization.substring(TOKEN_SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, acceptedToken);
  }

  private static void requireEmail(String email) {
    if (email == null) {
      throw new IllegalArgumentException("email must not be null");
    }
  }

  private static void requireStatus(int status) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200..599, got " + status);
    }
  }

  /** The next {@code remaining} calls (negative: all) of one email answer {@code status}. */
  private static final class RespondRule {
    final int status;
    final String retryAfter;
    int remaining;

    RespondRule(int status, int remaining, String retryAfter) {
      this.status = status;
      this.remaining = remaining;
      this.retryAfter = retryAfter;
    }
  }
}
