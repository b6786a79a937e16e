package dev.pew.intake.share;

/**
 * The share group's configs the intake works with, as the broker reports them for the group (its
 * own value, else the broker's default). Immutable.
 *
 * @param lockMs acquisition lock duration ({@code share.record.lock.duration.ms})
 * @param deliveryLimit deliveries of a record before the broker archives it ({@code share.delivery.count.limit})
 * @param renewEnabled whether RENEW acknowledgements are accepted ({@code share.renew.acknowledge.enable})
 * @param known whether these were read from the broker (false: Kafka's defaults, assumed)
 */
public record ShareSettings(long lockMs, int deliveryLimit, boolean renewEnabled, boolean known) {

  public static final String LOCK_DURATION = "share.record.lock.duration.ms";
  public static final String DELIVERY_LIMIT = "share.delivery.count.limit";
  public static final String RENEW_ENABLE = "share.renew.acknowledge.enable";
  public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
  public static final String ISOLATION_LEVEL = "share.isolation.level";

  /** Kafka's defaults (4.2+): 30 s locks, 5 deliveries, renewals on. */
  public static final ShareSettings DEFAULTS = new ShareSettings(30_000, 5, true, false);

  public ShareSettings {
    if (lockMs < 1 || deliveryLimit < 1) {
      throw new IllegalArgumentException("lockMs and deliveryLimit must be positive");
    }
  }

  /** The same settings with the lock duration the broker last reported to a consumer. */
  ShareSettings withLockMs(long ms) {
    return ms == lockMs || ms < 1 ? this : new ShareSettings(ms, deliveryLimit, renewEnabled, known);
  }
}
