package dev.pew.config;

import java.util.function.Function;

/**
 * One setting, declared once in {@link Settings}: its name (the environment variable and the
 * config-file key), its {@link Type}, its default as the text a user would write (null: unset, or
 * required when the type refuses blank text), one line of documentation, whether it is secret, and
 * for an {@code auto} setting how its value follows from the others. Parsing, validation, the
 * start-up description, README's table and {@code conf/config.json} all follow from these
 * declarations. Immutable and thread-safe.
 *
 * @param <T> what the worker reads; {@code Optional} for a setting that may be unset
 */
public record Setting<T>(String name, Type<T> type, String defaultText, String doc, boolean secret,
    Function<WorkerConfig, T> auto, String formula) {

  static <T> Setting<T> of(String name, Type<T> type, String defaultText, String doc) {
    return new Setting<>(name, type, defaultText, doc, false, null, null);
  }

  /** The same setting, never printed. */
  Setting<T> asSecret() {
    return new Setting<>(name, type, defaultText, doc, true, auto, formula);
  }

  /** The same setting, {@code auto} by default: its value then is {@code derive(config)}, documented as {@code formula}. */
  Setting<T> auto(Function<WorkerConfig, T> derive, String formula) {
    return new Setting<>(name, Types.orAuto(type), Types.AUTO, doc, secret, derive, formula);
  }

  public boolean isAuto() {
    return auto != null;
  }

  T parse(String text) {
    return type.parse(name, text == null ? "" : text);
  }

  @Override
  public String toString() {
    return name;
  }
}
