package dev.pew.config;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The allowed values of an integer setting, and the one wording of its error message so that a
 * value from the environment, the config file or the builder is reported the same way.
 * Immutable and thread-safe.
 *
 * @param min smallest allowed value
 * @param max largest allowed value
 * @param unbounded whether {@code max} is only the limit of the Java type (then the message says
 *     {@code >= min} instead of naming a huge number)
 * @param auto whether the setting also accepts {@code auto} (handled by the caller; only the
 *     message mentions it)
 */
record Range(long min, long max, boolean unbounded, boolean auto) {

  /** Plain decimal digits with an optional minus: no "64abc", no "1e3", no "0x10", no "64.0". */
  private static final Pattern PLAIN_INTEGER = Pattern.compile("-?[0-9]+");

  static Range of(long min, long max) {
    return new Range(min, max, false, false);
  }

  static Range atLeastInt(int min) {
    return new Range(min, Integer.MAX_VALUE, true, false);
  }

  static Range atLeastLong(long min) {
    return new Range(min, Long.MAX_VALUE, true, false);
  }

  /** The same range, for a setting that also accepts {@code auto}. */
  Range orAuto() {
    return new Range(min, max, unbounded, true);
  }

  /** "an integer from 1 to 10000", "an integer >= 1" or "auto or an integer >= 1". */
  String expectation() {
    String integer = unbounded ? "an integer >= " + min : "an integer from " + min + " to " + max;
    return auto ? ConfigKeys.AUTO + " or " + integer : integer;
  }

  /** Parses {@code raw} (surrounding blanks allowed) and checks it is in range. */
  long parse(String key, String raw) {
    String text = raw.strip();
    if (!PLAIN_INTEGER.matcher(text).matches()) {
      throw outOfRange(key, raw);
    }
    BigInteger value = new BigInteger(text);
    if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw outOfRange(key, raw);
    }
    return value.longValueExact();
  }

  void check(String key, long value) {
    if (value < min || value > max) {
      throw outOfRange(key, Long.toString(value));
    }
  }

  private ConfigException outOfRange(String key, String raw) {
    String tooBig = unbounded && isAboveMax(raw) ? " (at most " + max + ")" : "";
    return new ConfigException(key, "must be " + expectation() + tooBig + ", got " + Values.quote(raw));
  }

  private boolean isAboveMax(String raw) {
    String text = raw.strip();
    return PLAIN_INTEGER.matcher(text).matches() && new BigInteger(text).compareTo(BigInteger.valueOf(max)) > 0;
  }
}
