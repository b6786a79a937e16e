package dev.pew.kafka;

/**
 * A Kafka pass-through property the worker refuses: {@code key} names it as the operator wrote it
 * ({@code kafka.consumer.max.poll.records}), {@code problem} says what is wrong and never holds a
 * value, {@code shown} is the value to quote after it, or null when it must not be shown (a secret,
 * or nothing to add). The configuration turns it into its own one-line error. Immutable.
 */
public final class PropertyException extends IllegalArgumentException {

  private final String key;
  private final String problem;
  private final String shown;

  PropertyException(String key, String problem, String shown) {
    super(key + ": " + problem);
    this.key = key;
    this.problem = problem;
    this.shown = shown;
  }

  public String key() {
    return key;
  }

  public String problem() {
    return problem;
  }

  /** The value to quote after the problem ({@code got "0"}), or null. */
  public String shown() {
    return shown;
  }
}
