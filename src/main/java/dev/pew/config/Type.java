package dev.pew.config;

/**
 * How the text of a setting becomes a value, with one wording for every error ({@code KEY: must
 * be ..., got "..."}) wherever the text came from. Immutable and thread-safe.
 *
 * @param doc what the README's type column says, such as {@code integer 1..10000}
 * @param optional whether blank text means unset (the value is then {@code Optional.empty()})
 * @param numeric whether {@code conf/config.json} writes the default as a JSON number
 * @param parser reads stripped-or-raw text (blank included) and throws {@link ConfigException}
 */
public record Type<T>(String doc, boolean optional, boolean numeric, Parser<T> parser) {

  /** Reads the text of setting {@code key}. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(String key, String text);
  }

  T parse(String key, String text) {
    return parser.parse(key, text);
  }
}
