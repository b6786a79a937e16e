package dev.pew.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the text of a setting into a typed value, with the error wording the team agreed on
 * ({@code KEY: must be ..., got "..."}). Stateless and thread-safe.
 */
final class Values {

  /** Longest piece of a bad value echoed in a message: a pasted file must not flood the log. */
  private static final int MAX_ECHO = 200;

  /** 20, 2.5, 2.5e3: the decimal forms JSON numbers take; no sign, hex, NaN or Infinity. */
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private Values() {}

  /** {@code "value"} with quotes and control characters escaped and long values cut. */
  static String quote(String raw) {
    String text = raw.length() > MAX_ECHO ? raw.substring(0, MAX_ECHO) + "..." : raw;
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  static int parseInt(String key, String raw, Range range) {
    return Math.toIntExact(range.parse(key, raw));
  }

  static long parseLong(String key, String raw, Range range) {
    return range.parse(key, raw);
  }

  /** A finite decimal number >= 0 such as {@code 0}, {@code 20} or {@code 2.5}. */
  static double parseNonNegativeDecimal(String key, String raw) {
    String text = raw.strip();
    double value = DECIMAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
    if (!Double.isFinite(value)) {
      throw new ConfigException(key, "must be a number >= 0 such as 0, 20 or 2.5, got " + quote(raw));
    }
    return value;
  }

  /** The enum constant named {@code raw}, case-insensitive: "must be hold or fail, got ...". */
  static <E extends Enum<E>> E parseEnum(String key, String raw, Class<E> type) {
    String wanted = raw.strip();
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(wanted)) {
        return constant;
      }
    }
    throw new ConfigException(key, "must be " + choices(type) + ", got " + quote(raw));
  }

  /** "hold or fail", "a, b or c". */
  static <E extends Enum<E>> String choices(Class<E> type) {
    String[] names = Arrays.stream(type.getEnumConstants()).map(Values::configName).toArray(String[]::new);
    if (names.length == 1) {
      return names[0];
    }
    return Arrays.stream(names, 0, names.length - 1).collect(Collectors.joining(", "))
        + " or " + names[names.length - 1];
  }

  /** How an enum constant is written in the config: lower case. */
  static String configName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  static Path parsePath(String key, String raw) {
    try {
      return Path.of(raw.strip());
    } catch (InvalidPathException e) {
      throw new ConfigException(key, "must be a file path, got " + quote(raw));
    }
  }

  static boolean isAuto(String raw) {
    return raw.strip().equalsIgnoreCase(ConfigKeys.AUTO);
  }

  static boolean isBlank(String raw) {
    return raw == null || raw.isBlank();
  }
}
