package dev.pew.config;

import static dev.pew.config.Settings.*;

import dev.pew.kafka.KafkaClients;
import dev.pew.kafka.PropertyException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The worker's validated configuration: every {@link Settings setting} typed, in range and
 * consistent with the others, plus the Kafka client pass-through properties. Read a value with
 * {@code config.get(Settings.MAX_IN_FLIGHT)}. Made by {@link ConfigLoader#load}.
 *
 * <p>{@link #describe()} and {@link #toString()} never contain a secret. Immutable and thread-safe.
 */
public final class WorkerConfig {

  private final Map<Setting<?>, Object> values;
  private final Set<Setting<?>> derived;
  private final KafkaClients kafka;

  /**
   * Types and checks {@code text} (setting name to text; absent names take their default).
   *
   * @throws ConfigException for the first problem, naming its key, never echoing a secret
   */
  WorkerConfig(Map<String, String> text, KafkaClients.Sections sections) {
    Map<Setting<?>, Object> v = new HashMap<>();
    Set<Setting<?>> d = new HashSet<>();
    for (Setting<?> s : ALL) {
      Object value = s.parse(text.containsKey(s.name()) ? text.get(s.name()) : s.defaultText());
      if (value != null) {
        v.put(s, value);
      } else if (s.isAuto()) {
        d.add(s);
      }
    }
    this.values = v;
    this.derived = Set.copyOf(d);
    for (Setting<?> s : derived) {
      v.put(s, s.auto().apply(this));
    }
    checkTogether();
    try {
      this.kafka = new KafkaClients(get(KAFKA_BOOTSTRAP_SERVERS), get(KAFKA_GROUP_ID), sections, get(INTAKE) == IntakeMode.SHARE);
    } catch (PropertyException e) {
      throw new ConfigException(e.key(), e.problem() + (e.shown() == null ? "" : ", got " + Types.quote(e.shown())));
    }
  }

  /** The value of {@code setting}: typed as declared, never null. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    Object value = values.get(setting);
    if (value == null) {
      throw new IllegalStateException(setting + " has no value yet");
    }
    return (T) value;
  }

  /** The Kafka client properties, pass-through ones validated. */
  public KafkaClients kafka() {
    return kafka;
  }

  /** Rules between settings; the first broken one throws, naming the key to change. */
  private void checkTogether() {
    List<Setting<?>> topics = List.of(TOPIC_INPUT, TOPIC_SENT, TOPIC_FAILED, TOPIC_DEAD_LETTER, TOPIC_LEDGER, TOPIC_CONTROL);
    Map<Object, Setting<?>> roles = new HashMap<>();
    for (Setting<?> s : topics) {
      Object name = get(s) instanceof Optional<?> o ? o.orElse(null) : get(s);
      Setting<?> earlier = name == null ? null : roles.putIfAbsent(name, s);
      if (earlier != null) {
        throw new ConfigException(s.name(), "must differ from " + earlier + " (" + name
            + "): each topic has one role (input, success results, failure results, raw failed inputs, ledger, control)");
      }
    }
    if (get(XC_API_TOKEN).isPresent() && get(XC_API_TOKEN_FILE).isPresent()) {
      throw new ConfigException(XC_API_TOKEN.name(), "set either XC_API_TOKEN or XC_API_TOKEN_FILE, not both");
    }
    if (get(XC_CLIENT_P12_PASSWORD).filter(p -> !p.isEmpty()).isPresent() && get(XC_CLIENT_P12).isEmpty()) {
      throw new ConfigException(XC_CLIENT_P12_PASSWORD.name(),
          "given without XC_CLIENT_P12: set the PKCS#12 file too, or remove the password");
    }
    atLeast(BACKOFF_MAX_MS, get(BACKOFF_MAX_MS), BACKOFF_INITIAL_MS, get(BACKOFF_INITIAL_MS), "");
    atLeast(MAX_BUFFERED, get(MAX_BUFFERED), MAX_IN_FLIGHT, get(MAX_IN_FLIGHT), "auto or an integer ");
    if (get(ORDERING) == Ordering.KEY && get(INTAKE) == IntakeMode.SHARE) {
      throw new ConfigException(ORDERING.name(), "key cannot be used with INTAKE=share: a share group hands a "
          + "partition's records to several instances at once, so no key can be kept in order; use INTAKE=group for it");
    }
  }

  private static void atLeast(Setting<?> key, long value, Setting<?> other, long min, String what) {
    if (value < min) {
      throw new ConfigException(key.name(), "must be " + what + ">= " + other + " (" + min + "), got \"" + value + "\"");
    }
  }

  /**
   * One line {@code KEY=value ...} for the start-up log: every setting (unset ones as
   * {@code (unset)}, derived ones as {@code 128(auto)}) and every Kafka property as
   * {@code kafka.common.security.protocol=SASL_SSL}; secrets as {@code ***}.
   */
  public String describe() {
    StringBuilder line = new StringBuilder();
    for (Setting<?> s : ALL) {
      Object value = values.get(s);
      Object shown = value instanceof Optional<?> o ? o.orElse(null) : value;
      String text = shown == null ? null : shown instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT)
          : shown instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
          : String.valueOf(shown);
      if (text == null) {
        text = "(unset)";
      } else if (s.secret()) {
        text = "***";
      } else if (derived.contains(s)) {
        text += "(auto)";
      }
      pair(line, s.name(), text);
    }
    kafka.sections().forEach((key, value) ->
        pair(line, key, KafkaClients.isSecret(key.substring(key.indexOf('.', 6) + 1)) ? "***" : value));
    return line.toString();
  }

  private static void pair(StringBuilder line, String key, String value) {
    boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || Character.isISOControl(c));
    line.append(line.length() > 0 ? " " : "").append(key).append('=').append(plain ? value : Types.quote(value));
  }

  @Override
  public String toString() {
    return describe();
  }
}
