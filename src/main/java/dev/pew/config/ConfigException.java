package dev.pew.config;

/**
 * A configuration value is missing or wrong. The worker prints {@link #getMessage()} and exits
 * with code 2.
 *
 * <p>The message is always one line, {@code KEY: problem}, and never contains the value of a
 * secret: the code that raises it is responsible for leaving secrets out of {@code problem}, and
 * line breaks are flattened here so a multi-line value cannot forge log lines. Immutable and
 * thread-safe.
 */
public class ConfigException extends RuntimeException {

  private final String key;
  private final String problem;

  /**
   * @param key the configuration key (environment name), a Kafka property such as
   *     {@code kafka.consumer.max.poll.records}, or {@code --conf} / {@code CONFIG_FILE}
   * @param problem what is wrong and what is expected; must not contain a secret value
   */
  public ConfigException(String key, String problem) {
    super(oneLine(key) + ": " + oneLine(problem));
    this.key = oneLine(key);
    this.problem = oneLine(problem);
  }

  /** The key the problem is about; the first thing in {@link #getMessage()}. */
  public String key() {
    return key;
  }

  /** What is wrong and what is expected. */
  public String problem() {
    return problem;
  }

  private static String oneLine(String text) {
    return String.valueOf(text).replaceAll("\\p{Cntrl}+", " ").strip();
  }
}
