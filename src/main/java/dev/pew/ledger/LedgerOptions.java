package dev.pew.ledger;

/**
 * Settings of the {@link Ledger}. Immutable.
 *
 * @param topic the ledger topic ({@code TOPIC_LEDGER}); input partition {@code p} goes to its
 *     partition {@code p mod (its partition count)}
 * @param windowMs {@code DEDUP_WINDOW_MS}: a redelivery of an id sent this recently is answered without
 *     a call; 0 turns that off
 * @param keepMs how long sends are kept (in memory and in the topic): the window, but at least
 *     {@link #MIN_KEEP_MS}, so that a crash's unfinished tail is still found with the window off
 */
public record LedgerOptions(String topic, long windowMs, long keepMs) {

  /** Sends are kept at least this long: a crashed owner's last sends are found however small the window. */
  public static final long MIN_KEEP_MS = 15 * 60_000L;

  public static LedgerOptions of(String topic, long windowMs) {
    return new LedgerOptions(topic, windowMs, Math.max(windowMs, MIN_KEEP_MS));
  }

  public LedgerOptions {
    if (windowMs < 0 || keepMs < windowMs) {
      throw new IllegalArgumentException("windowMs >= 0 and keepMs >= windowMs");
    }
  }
}
