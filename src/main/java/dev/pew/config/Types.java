package dev.pew.config;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@link Type}s settings use. Stateless and thread-safe. */
final class Types {

  static final String AUTO = "auto";
  private static final int MAX_ECHO = 200;
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.%]+\\]|[a-zA-Z0-9._-]+):([0-9]{1,5})");

  private Types() {}

  /** Non-blank text, stripped; blank is "required: {@code meaning}". */
  static Type<String> text(String meaning) {
    return new Type<>("text", false, false, (key, raw) -> required(key, raw, meaning));
  }

  static Type<String> topic() {
    return new Type<>("topic name", false, false, (key, raw) -> {
      String name = required(key, raw, "a Kafka topic name");
      if (!TOPIC.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        throw new ConfigException(key, "must be a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -, not . or ..), got " + quote(raw));
      }
      return name;
    });
  }

  /** {@code host:port[,host:port...]}, blanks around entries removed. */
  static Type<String> hostPorts() {
    return new Type<>("host:port,...", false, false, (key, raw) -> {
      String list = required(key, raw, "the Kafka brokers as host:port[,host:port...]");
      for (String entry : list.split("\\s*,\\s*", -1)) {
        var m = HOST_PORT.matcher(entry);
        int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        if (port < 1 || port > 65_535) {
          throw new ConfigException(key, "must be a comma-separated list of host:port (port 1 to 65535), got " + quote(raw));
        }
      }
      return String.join(",", list.split("\\s*,\\s*"));
    });
  }

  /** An absolute http(s) URL with a host, without user info or fragment. */
  static Type<URI> endpoint() {
    return new Type<>("URL", false, false, (key, raw) -> {
      String text = required(key, raw, "the full URL of send_password_email");
      String shown = quote(text.replaceFirst("//[^/?#]*@", "//***@"));
      String expected = "must be an absolute http or https URL with a host, such as "
          + "https://<tenant>.console.ves.volterra.io/api/v1/api/production/us-east-1/namespaces/default/no_auth/send_password_email, got ";
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw new ConfigException(key, expected + shown);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ConfigException(key, expected + shown);
      }
      if (uri.getRawUserInfo() != null) {
        throw new ConfigException(key, "must not contain user:password@ (use XC_API_TOKEN), got " + shown);
      }
      if (uri.getRawFragment() != null) {
        throw new ConfigException(key, "must not contain a #fragment, got " + shown);
      }
      return uri;
    });
  }

  /** The API token alone: no {@code APIToken } prefix, no blanks inside; never echoed. */
  static Type<String> token() {
    return new Type<>("secret", false, false, (key, raw) -> {
      String token = raw.strip();
      if (token.regionMatches(true, 0, "APIToken ", 0, 9)) {
        throw new ConfigException(key, "give only the token, without the \"APIToken \" prefix (value not shown)");
      }
      if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        throw new ConfigException(key, "must not contain spaces or control characters (value not shown)");
      }
      return token;
    });
  }

  /** Taken as it is: a password of blanks is still a password. */
  static Type<String> password() {
    return new Type<>("secret", false, false, (key, raw) -> raw);
  }

  /** A regular file that is readable now. */
  static Type<Path> readableFile() {
    return new Type<>("file", false, false, (key, raw) -> {
      Path file;
      try {
        file = Path.of(raw.strip());
      } catch (InvalidPathException e) {
        throw new ConfigException(key, "must be a file path, got " + quote(raw));
      }
      if (Files.isDirectory(file)) {
        throw new ConfigException(key, "must be a file, got the directory " + quote(file.toString()));
      }
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(key, "file not found: " + quote(file.toString()));
      }
      if (!Files.isReadable(file)) {
        throw new ConfigException(key, "file not readable (check its permissions): " + quote(file.toString()));
      }
      return file;
    });
  }

  /** Plain decimal digits from {@code min} to {@code max}; no "64abc", "1e3", "0x10" or "64.0". */
  static Type<Integer> integer(int min, int max) {
    return new Type<>(min + ".." + max, false, true, (key, raw) -> (int) whole(key, raw, min, max, false));
  }

  static Type<Integer> integerAtLeast(int min) {
    return new Type<>(">= " + min, false, true, (key, raw) -> (int) whole(key, raw, min, Integer.MAX_VALUE, true));
  }

  static Type<Long> millisAtLeast(long min) {
    return new Type<>("ms >= " + min, false, true, (key, raw) -> whole(key, raw, min, Long.MAX_VALUE, true));
  }

  private static long whole(String key, String raw, long min, long max, boolean unbounded) {
    String text = raw.strip();
    BigInteger value = INTEGER.matcher(text).matches() ? new BigInteger(text) : null;
    if (value == null || value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
      String expected = unbounded ? "an integer >= " + min : "an integer from " + min + " to " + max;
      String tooBig = unbounded && value != null && value.compareTo(BigInteger.valueOf(max)) > 0 ? " (at most " + max + ")" : "";
      throw new ConfigException(key, "must be " + expected + tooBig + ", got " + quote(raw));
    }
    return value.longValueExact();
  }

  /** A finite number >= 0 such as 0, 20 or 2.5. */
  static Type<Double> decimal() {
    return new Type<>("number >= 0", false, true, (key, raw) -> {
      String text = raw.strip();
      double value = DECIMAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
      if (!Double.isFinite(value)) {
        throw new ConfigException(key, "must be a number >= 0 such as 0, 20 or 2.5, got " + quote(raw));
      }
      return value;
    });
  }

  /** One of the enum's constants, written in lower case, read case-insensitively. */
  static <E extends Enum<E>> Type<E> choice(Class<E> type) {
    String[] names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    String choices = names.length == 1 ? names[0]
        : String.join(", ", Arrays.copyOf(names, names.length - 1)) + " or " + names[names.length - 1];
    return new Type<>(choices, false, false, (key, raw) -> Arrays.stream(type.getEnumConstants())
        .filter(e -> e.name().equalsIgnoreCase(raw.strip())).findFirst()
        .orElseThrow(() -> new ConfigException(key, "must be " + choices + ", got " + quote(raw))));
  }

  /** Blank text means unset. */
  static <T> Type<Optional<T>> optional(Type<T> type) {
    return new Type<>(type.doc(), true, type.numeric(),
        (key, raw) -> raw.isBlank() ? Optional.empty() : Optional.of(type.parse(key, raw)));
  }

  /** {@code auto} reads as null (the setting derives its value); anything else as {@code type}. */
  static <T> Type<T> orAuto(Type<T> type) {
    return new Type<>(AUTO + " or " + type.doc(), type.optional(), type.numeric(), (key, raw) -> {
      if (raw.strip().equalsIgnoreCase(AUTO)) {
        return null;
      }
      try {
        return type.parse(key, raw);
      } catch (ConfigException e) {
        throw new ConfigException(key, e.problem().replaceFirst("^must be ", "must be " + AUTO + " or "));
      }
    });
  }

  private static String required(String key, String raw, String meaning) {
    if (raw.isBlank()) {
      throw new ConfigException(key, "required: " + meaning);
    }
    return raw.strip();
  }

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
}
