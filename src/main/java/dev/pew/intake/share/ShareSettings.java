package dev.pew.intake.share;

import java.util.Map;

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

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShareSettings.class);

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

  /** The settings the broker reports for the group; Kafka's defaults (logged) when they do not parse. */
  static ShareSettings of(Map<String, ShareGroupAdmin.GroupConfig> configs) {
    ShareSettings d = DEFAULTS;
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
}
