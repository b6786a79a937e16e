package dev.pew.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pew.kafka.KafkaClients;
import dev.pew.kafka.KafkaClients.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the configuration from, last wins: built-in defaults, the config file, the environment.
 * The file is the one named by {@code --conf FILE} / {@code --conf=FILE}, else by {@code
 * CONFIG_FILE}, else {@code conf/config.json} in the working directory when it exists: one JSON
 * object, {@code //} and {@code /* *}{@code /} comments allowed, {@code _}-keys ignored, an unknown
 * key an error; Kafka properties in {@code "kafka.common"}, {@code "kafka.consumer"}, {@code "kafka.producer"}.
 * In the environment an empty variable counts as unset, and a {@code KAFKA_} variable that names
 * no Kafka client property ({@code KAFKA_HOME}) is skipped with a warning. Messages never quote
 * the file's text, which may hold secrets. Stateless and thread-safe.
 */
public final class ConfigLoader {

  private static final Path DEFAULT_FILE = Path.of("conf", "config.json");
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // 64.0 stays "64.0", 2.5 stays 2.5
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private ConfigLoader() {}

  /**
   * Loads and validates the configuration. {@code args}: only {@code --conf} is read.
   *
   * @throws ConfigException for the first problem: one line naming the key, never a secret
   */
  public static LoadedConfig load(List<String> args, Map<String, String> env) {
    return load(args, env, Path.of(""));
  }

  /** As {@link #load(List, Map)}, with relative config-file paths resolved against {@code workingDir}. */
  static LoadedConfig load(List<String> args, Map<String, String> env, Path workingDir) {
    List<String> warnings = new ArrayList<>();
    Optional<String> named = confArgument(args);
    String variable = env.getOrDefault("CONFIG_FILE", "").strip();
    String key = named.isPresent() ? "--conf" : "CONFIG_FILE";
    if (named.isPresent() && !variable.isEmpty()) {
      warnings.add("CONFIG_FILE is ignored because --conf names the config file");
    }
    Optional<Path> file = named.or(() -> Optional.of(variable).filter(v -> !v.isEmpty())).map(n -> resolve(workingDir, n, key));
    if (file.isEmpty() && Files.exists(workingDir.resolve(DEFAULT_FILE))) {
      file = Optional.of(workingDir.resolve(DEFAULT_FILE));
    }
    Map<String, String> text = new HashMap<>();
    KafkaClients.Sections kafka = new KafkaClients.Sections();
    if (file.isPresent()) {
      readFile(file.get(), file.get().endsWith(DEFAULT_FILE) && named.isEmpty() && variable.isEmpty()
          ? DEFAULT_FILE.toString() : key, text, kafka);
    }
    readEnv(env, text, kafka, warnings);
    WorkerConfig config = new WorkerConfig(text, kafka);
    boolean credentials = config.get(Settings.XC_API_TOKEN).isPresent() || config.get(Settings.XC_API_TOKEN_FILE).isPresent();
    String host = config.get(Settings.XC_ENDPOINT_URL).getHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    if (credentials && config.get(Settings.XC_ENDPOINT_URL).getScheme().equalsIgnoreCase("http") && !loopback) {
      warnings.add("XC_ENDPOINT_URL uses plain http: the API token is sent unencrypted to " + host);
    }
    return new LoadedConfig(config, file, warnings);
  }

  private static Optional<String> confArgument(List<String> args) {
    String value = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = String.valueOf(args.get(i));
      String found;
      if (arg.equals("--conf")) {
        found = i + 1 < args.size() ? args.get(++i) : "";
      } else if (arg.startsWith("--conf=")) {
        found = arg.substring("--conf=".length());
      } else {
        continue;
      }
      if (found == null || found.isBlank() || found.startsWith("--")) {
        throw new ConfigException("--conf", "needs a file name: --conf FILE or --conf=FILE");
      }
      if (value != null) {
        throw new ConfigException("--conf", "given more than once; name one config file");
      }
      value = found.strip();
    }
    return Optional.ofNullable(value);
  }

  private static Path resolve(Path workingDir, String name, String key) {
    try {
      return workingDir.resolve(name);
    } catch (InvalidPathException e) {
      throw new ConfigException(key, "must be a file path, got " + Types.quote(name));
    }
  }

  private static void readFile(Path file, String key, Map<String, String> text, KafkaClients.Sections kafka) {
    String where = key.equals(file.toString()) ? "" : file + ": ";
    if (Files.isDirectory(file)) {
      throw new ConfigException(key, where + "is a directory, expected a JSON file");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(key, "config file not found: " + Types.quote(file.toString()));
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      // Jackson's own message may quote a token from the file, a secret perhaps: only say where.
      String message = String.valueOf(e.getOriginalMessage());
      throw new ConfigException(key, where + (message.startsWith("Duplicate field '")
          ? "key " + Types.quote(message.substring(17, message.indexOf('\'', 17))) + " appears twice in the same object"
          : "not valid JSON" + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr()) + " (check quotes, commas and braces; // and /* */ comments are allowed)"));
    } catch (IOException e) {
      throw new ConfigException(key, where + "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(key, where + "must hold one JSON object: { \"KEY\": value, ... }");
    }
    root.properties().forEach(field -> {
      String name = field.getKey();
      Optional<Section> section = KafkaClients.section(name);
      if (name.startsWith("_")) {
        return;
      } else if (section.isPresent()) {
        readKafka(kafka, section.get(), field.getValue());
      } else if (Settings.named(name).isPresent()) {
        scalar(name, field.getValue(), false).ifPresent(t -> text.put(name, t));
      } else {
        throw new ConfigException(name, KafkaClients.misplaced(name).orElseGet(() -> unknownKey(name)));
      }
    });
  }

  private static void readKafka(KafkaClients.Sections kafka, Section section, JsonNode value) {
    if (!value.isNull() && !value.isObject()) {
      throw new ConfigException(section.prefix(), "must be an object of Kafka client properties such as {\"security.protocol\": \"SASL_SSL\"}");
    }
    value.properties().forEach(field -> {
      String key = section.prefix() + "." + field.getKey();
      if (field.getKey().startsWith("_")) {
        return;
      }
      scalar(key, field.getValue(), true).ifPresent(t -> kafka.get(section).put(field.getKey(), t));
    });
  }

  /** Strings as they are, numbers as written, booleans as true/false, lists joined by commas; empty for null. */
  private static Optional<String> scalar(String key, JsonNode value, boolean listAllowed) {
    if (value.isNull()) {
      return Optional.empty();
    }
    if (value.isValueNode()) {
      return Optional.of(value.isBigDecimal() ? value.decimalValue().toString() : value.asText());
    }
    if (listAllowed && value.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        if (item.isNull() || item.isContainerNode()) {
          throw new ConfigException(key, "a list may only hold strings, numbers or booleans");
        }
        items.add(scalar(key, item, false).orElseThrow());
      }
      return Optional.of(String.join(",", items));
    }
    throw new ConfigException(key, "must be a string, number or boolean" + (listAllowed ? " (or a list of them)" : "")
        + ", got " + (value.isArray() ? "a list" : "an object"));
  }

  private static String unknownKey(String key) {
    String wanted = key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    return Settings.ALL.stream().map(Setting::name).filter(n -> editDistance(wanted, n) < 4)
        .min((a, b) -> editDistance(wanted, a) - editDistance(wanted, b))
        .map(n -> "unknown key; did you mean " + n + "?")
        .orElse("unknown key (keys starting with _ are comments; Kafka client properties go in \"kafka.common\", "
            + "\"kafka.consumer\" or \"kafka.producer\")");
  }

  private static int editDistance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        row[j] = Math.min(diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1), Math.min(above, row[j - 1]) + 1);
        diagonal = above;
      }
    }
    return row[b.length()];
  }

  private static void readEnv(Map<String, String> env, Map<String, String> text, KafkaClients.Sections kafka,
      List<String> warnings) {
    new TreeMap<>(env).forEach((name, value) -> { // sorted: warnings in a stable order
      if (value == null || value.isEmpty()) {
        return;
      } else if (Settings.named(name).isPresent()) {
        text.put(name, value);
      } else if (name.startsWith("KAFKA_")) {
        kafka.putVariable(name, value).ifPresent(warnings::add);
      }
    });
  }
}
