package dev.pew.config;

import static dev.pew.config.ConfigKeys.*;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pew.config.KafkaClientProperties.Section;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the config-file format (also used by {@link WorkerConfig#fromJson}): one JSON object,
 * {@code //} and {@code /* *}{@code /} comments allowed, keys starting with {@code _} ignored, an
 * unknown key is an error, Kafka properties in {@code "kafka.common"} etc. or nested under
 * {@code "kafka"}. Error messages never quote the file's text, which may hold secrets.
 * Stateless and thread-safe.
 */
final class JsonSettings {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // Keep numbers as written: 64.0 must stay "64.0" (not an integer), 2.5 must not become 2.4999...
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

  private JsonSettings() {}

  /**
   * Reads a config file. Problems with the file as a whole are reported under {@code fileKey}
   * ({@code --conf}, {@code CONFIG_FILE} or the default file's path).
   */
  static RawSettings readFile(Path file, String fileKey) {
    String where = fileKey.equals(file.toString()) ? "" : file + ": ";
    if (Files.isDirectory(file)) {
      throw new ConfigException(fileKey, where + "is a directory, expected a JSON file");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(fileKey, "config file not found: " + Values.quote(file.toString()));
    }
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = parse(in, fileKey, where);
    } catch (IOException e) {
      throw new ConfigException(fileKey, where + "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return read(root, fileKey, where);
  }

  /** Parses JSON text (the encoded form of a Vert.x JsonObject). */
  static JsonNode parse(String json, String sourceKey) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException(sourceKey, syntaxProblem(e));
    }
  }

  private static JsonNode parse(InputStream in, String fileKey, String where) throws IOException {
    try {
      return MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new ConfigException(fileKey, where + syntaxProblem(e));
    }
  }

  /** Jackson's own message may quote a token from the file, a secret perhaps: only say where. */
  private static String syntaxProblem(JsonProcessingException e) {
    Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
    if (duplicate.find()) {
      return "key " + Values.quote(duplicate.group(1)) + " appears twice in the same object";
    }
    JsonLocation at = e.getLocation();
    String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return "not valid JSON" + position + " (check quotes, commas and braces; // and /* */ comments are allowed)";
  }

  /** The settings of one parsed JSON document. */
  static RawSettings read(JsonNode root, String sourceKey) {
    return read(root, sourceKey, "");
  }

  private static RawSettings read(JsonNode root, String sourceKey, String where) {
    if (root == null || !root.isObject()) {
      throw new ConfigException(sourceKey, where + "must hold one JSON object: { \"KEY\": value, ... }");
    }
    RawSettings raw = new RawSettings();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.startsWith("_")) {
        continue;
      }
      switch (key) {
        case KAFKA_COMMON -> readKafka(raw, Section.COMMON, value, key);
        case KAFKA_CONSUMER -> readKafka(raw, Section.CONSUMER, value, key);
        case KAFKA_PRODUCER -> readKafka(raw, Section.PRODUCER, value, key);
        case KAFKA_NESTED -> readNestedKafka(raw, value);
        default -> {
          if (!ALL.contains(key)) {
            throw new ConfigException(key, unknownKeyProblem(key));
          }
          scalarText(key, value, false).ifPresent(text -> raw.put(key, text));
        }
      }
    }
    return raw;
  }

  private static void readNestedKafka(RawSettings raw, JsonNode value) {
    if (value.isNull()) {
      return;
    }
    if (!value.isObject()) {
      throw new ConfigException(KAFKA_NESTED,
          "must be an object such as {\"common\": {...}, \"consumer\": {...}, \"producer\": {...}}");
    }
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String name = field.getKey();
      if (name.startsWith("_")) {
        continue;
      }
      Section section = switch (name) {
        case "common" -> Section.COMMON;
        case "consumer" -> Section.CONSUMER;
        case "producer" -> Section.PRODUCER;
        default -> throw new ConfigException(KAFKA_NESTED + "." + name,
            "unknown section: use common, consumer or producer");
      };
      readKafka(raw, section, field.getValue(), KAFKA_NESTED + "." + name);
    }
  }

  private static void readKafka(RawSettings raw, Section section, JsonNode value, String label) {
    if (value.isNull()) {
      return;
    }
    if (!value.isObject()) {
      throw new ConfigException(label,
          "must be an object of Kafka client properties such as {\"security.protocol\": \"SASL_SSL\"}");
    }
    Map<String, String> properties = raw.kafka(section);
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String name = field.getKey();
      if (name.startsWith("_")) {
        continue;
      }
      String key = section.keyOf(name);
      Optional<String> text = scalarText(key, field.getValue(), true);
      if (text.isEmpty()) {
        continue;
      }
      if (properties.containsKey(name)) {
        throw new ConfigException(key, "given twice: both in \"" + section.prefix() + "\" and nested under \""
            + KAFKA_NESTED + "\"; keep one");
      }
      properties.put(name, text.get());
    }
  }

  /** The value as text: strings as they are, numbers as written, booleans as true/false; empty for null. */
  private static Optional<String> scalarText(String key, JsonNode value, boolean listAllowed) {
    if (value.isNull()) {
      return Optional.empty();
    }
    if (value.isTextual()) {
      return Optional.of(value.textValue());
    }
    if (value.isBoolean()) {
      return Optional.of(Boolean.toString(value.booleanValue()));
    }
    if (value.isIntegralNumber()) {
      return Optional.of(value.bigIntegerValue().toString());
    }
    if (value.isNumber()) {
      return Optional.of(value.decimalValue().toString());
    }
    if (listAllowed && value.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        if (item.isNull() || item.isContainerNode()) {
          throw new ConfigException(key, "a list may only hold strings, numbers or booleans");
        }
        items.add(scalarText(key, item, false).orElseThrow());
      }
      return Optional.of(String.join(",", items));
    }
    throw new ConfigException(key, "must be a string, number or boolean" + (listAllowed ? " (or a list of them)" : "")
        + ", got " + (value.isArray() ? "a list" : "an object"));
  }

  private static String unknownKeyProblem(String key) {
    if (Section.COMMON.knows(key)) {
      return "unknown key; Kafka client properties go in \"" + KAFKA_COMMON + "\", \"" + KAFKA_CONSUMER
          + "\" or \"" + KAFKA_PRODUCER + "\"";
    }
    if (key.startsWith("KAFKA_")) {
      String property = EnvironmentSettings.kafkaPropertyName(key.substring("KAFKA_".length()));
      return "unknown key; in the config file put Kafka client properties in \"" + KAFKA_COMMON
          + "\" by their own name (\"" + property + "\")";
    }
    Optional<String> near = nearest(key);
    if (near.isPresent()) {
      return "unknown key; did you mean " + near.get() + "?";
    }
    return "unknown key (keys starting with _ are comments; Kafka client properties go in \""
        + KAFKA_COMMON + "\", \"" + KAFKA_CONSUMER + "\" or \"" + KAFKA_PRODUCER + "\")";
  }

  /** The known key a typo most likely meant: same letters in another case, or at most 3 edits. */
  private static Optional<String> nearest(String key) {
    String wanted = key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    String best = null;
    int bestDistance = 4;
    for (String candidate : ALL) {
      int distance = editDistance(wanted, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
