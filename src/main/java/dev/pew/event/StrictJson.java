package dev.pew.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads one JSON document into a tree, rejecting what a lenient reader would accept silently:
 * duplicate field names at any depth and anything after the first value. Reasons never quote the
 * input (Jackson's messages do, and the input may hold an email address). Thread-safe.
 */
final class StrictJson {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Field names shown in a reason: plain identifiers only, so an address in a name is never echoed. */
  private static final Pattern SHOWABLE_NAME = Pattern.compile("[A-Za-z0-9_$-]{1,64}");

  private StrictJson() {}

  static JsonNode read(String text) throws InvalidValueException {
    try (JsonParser parser = FACTORY.createParser(text)) {
      try {
        JsonToken first = parser.nextToken();
        if (first == null) {
          throw notJson(parser.currentLocation());
        }
        JsonNode root = readValue(parser, first);
        if (parser.nextToken() != null) {
          throw notJson(parser.currentTokenLocation());
        }
        return root;
      } catch (JsonProcessingException e) {
        throw notJson(e.getLocation() != null ? e.getLocation() : parser.currentLocation());
      }
    } catch (IOException e) {
      // Only reachable if closing a String-backed parser failed, which it does not.
      throw new InvalidValueException("value is not valid JSON");
    }
  }

  private static JsonNode readValue(JsonParser parser, JsonToken token)
      throws IOException, InvalidValueException {
    switch (token) {
      case START_OBJECT:
        return readObject(parser);
      case START_ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(readValue(parser, t));
        }
        return array;
      case VALUE_STRING:
        return NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT:
        return switch (parser.getNumberType()) {
          case INT -> NODES.numberNode(parser.getIntValue());
          case LONG -> NODES.numberNode(parser.getLongValue());
          default -> NODES.numberNode(parser.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        // The worker never reads a number's value; a double cannot fail on extreme exponents.
        return NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw notJson(parser.currentTokenLocation());
    }
  }

  private static ObjectNode readObject(JsonParser parser) throws IOException, InvalidValueException {
    ObjectNode object = NODES.objectNode();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
      String name = parser.currentName();
      if (object.has(name)) {
        throw new InvalidValueException(
            SHOWABLE_NAME.matcher(name).matches() ? "duplicate field " + name : "duplicate field");
      }
      object.set(name, readValue(parser, parser.nextToken()));
    }
    return object;
  }

  private static InvalidValueException notJson(JsonLocation at) {
    return new InvalidValueException("value is not valid JSON (line " + Math.max(1, at.getLineNr())
        + ", column " + Math.max(1, at.getColumnNr()) + ")");
  }
}
