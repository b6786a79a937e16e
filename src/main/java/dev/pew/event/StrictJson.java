package dev.pew.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one JSON document into a tree with Jackson's own strictness: a duplicate field name at any
 * depth ({@code STRICT_DUPLICATE_DETECTION}) and anything after the first value ({@code
 * FAIL_ON_TRAILING_TOKENS}) are errors. Reasons never quote the input (Jackson's messages do, and
 * the input may hold an email address). Thread-safe.
 */
final class StrictJson {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([A-Za-z0-9_$-]{1,64})'");

  private StrictJson() {}

  static JsonNode read(String text) throws InvalidValueException {
    try {
      JsonNode root = MAPPER.readTree(text);
      if (root == null || root.isMissingNode()) { // only blanks: the error is at the end
        int line = (int) text.chars().filter(c -> c == '\n').count() + 1;
        throw new InvalidValueException("value is not valid JSON (line " + line + ", column "
            + (text.length() - text.lastIndexOf('\n')) + ")");
      }
      return root;
    } catch (JsonProcessingException e) {
      String message = String.valueOf(e.getOriginalMessage());
      if (message.startsWith("Duplicate field '")) {
        // Field names shown only when they are plain identifiers, so an address in a name is never echoed.
        Matcher name = DUPLICATE.matcher(message);
        throw new InvalidValueException(name.find() ? "duplicate field " + name.group(1) : "duplicate field");
      }
      throw notJson(e.getLocation());
    }
  }

  private static InvalidValueException notJson(JsonLocation at) {
    return new InvalidValueException(at == null ? "value is not valid JSON"
        : "value is not valid JSON (line " + Math.max(1, at.getLineNr()) + ", column " + Math.max(1, at.getColumnNr()) + ")");
  }
}
