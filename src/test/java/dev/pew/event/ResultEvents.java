package dev.pew.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads result records back in tests: the inverse of {@link ResultEvent#toJsonBytes()}. */
public final class ResultEvents {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ResultEvents() {}

  /** @throws IllegalArgumentException when {@code json} is not a result event */
  public static ResultEvent fromJson(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    try {
      JsonNode errorNode = root.path("error");
      ResultEvent.ErrorInfo error = errorNode.isObject()
          ? new ResultEvent.ErrorInfo(ErrorCategory.valueOf(required(errorNode, "category").textValue()),
              required(errorNode, "message").textValue(), required(errorNode, "retryable").booleanValue())
          : null;
      JsonNode sourceNode = required(root, "source");
      Source source = new Source(required(sourceNode, "topic").textValue(),
          required(sourceNode, "partition").intValue(), required(sourceNode, "offset").longValue());
      JsonNode httpStatus = root.path("httpStatus");
      JsonNode dup = root.path("duplicateOf");
      Source duplicateOf = dup.isObject() ? new Source(required(dup, "topic").textValue(),
          required(dup, "partition").intValue(), required(dup, "offset").longValue()) : null;
      return new ResultEvent(required(root, "eventId").textValue(),
          Status.valueOf(required(root, "status").textValue()), root.path("cname").textValue(),
          root.path("email").textValue(), required(root, "attempts").intValue(),
          httpStatus.isNumber() ? httpStatus.intValue() : null, error, source,
          Instant.parse(required(root, "receivedAt").textValue()),
          Instant.parse(required(root, "completedAt").textValue()),
          root.has("rawValue"), root.path("rawValue").textValue(), root.path("rawEncoding").textValue(), duplicateOf);
    } catch (NullPointerException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a result event: " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("not a result event: " + field + " is missing");
    }
    return value;
  }
}
