package dev.pew.event;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the headers of result and dead-letter records (contract: "Result record"). The input
 * headers are copied in order, so {@code traceparent} and correlation ids flow on; the headers this
 * class sets replace every input header of the same name rather than adding a second one, because
 * Kafka consumers usually read only one. Values are UTF-8. Stateless and thread-safe; every call
 * returns a new, writable {@link RecordHeaders} that shares no byte arrays with the input.
 */
public final class ResultHeaders {

  public static final String EVENT_ID = "event-id";
  public static final String ERROR_CATEGORY = "error-category";
  public static final String ERROR_MESSAGE = "error-message";
  public static final String SOURCE_TOPIC = "source-topic";
  public static final String SOURCE_PARTITION = "source-partition";
  public static final String SOURCE_OFFSET = "source-offset";

  private ResultHeaders() {}

  /**
   * Headers of a result record: the input headers, {@code event-id} set to {@code eventId}, and
   * {@code forwardHeaders} (see {@link ParsedEvent.Valid#forwardHeaders()}; null means none) added.
   */
  public static Headers forResult(InboundRecord in, String eventId, Map<String, String> forwardHeaders) {
    Map<String, String> added = new LinkedHashMap<>();
    added.put(EVENT_ID, eventId);
    (forwardHeaders == null ? Map.<String, String>of() : forwardHeaders).forEach((name, value) -> {
      if (!EVENT_ID.equals(name)) {
        added.put(name, value);
      }
    });
    RecordHeaders input = new RecordHeaders();
    for (Header header : in.headers()) {
      if (isStructuredCloudEventsContentType(header)) {
        // The result value is the plain result JSON, whatever the input was (valid or not, however
        // the header name was spelled): never let it claim to be a CloudEvents envelope.
        added.putIfAbsent(CONTENT_TYPE, "application/json");
      } else {
        input.add(header);
      }
    }
    return copyReplacing(input, added);
  }

  private static final String CONTENT_TYPE = "content-type";

  private static boolean isStructuredCloudEventsContentType(Header header) {
    return header.key().equalsIgnoreCase(CONTENT_TYPE) && header.value() != null
        && new String(header.value(), StandardCharsets.UTF_8).strip().toLowerCase(java.util.Locale.ROOT)
            .startsWith("application/cloudevents");
  }

  /**
   * Headers of a dead-letter copy: the input headers plus {@code error-category},
   * {@code error-message}, {@code source-topic}, {@code source-partition} and
   * {@code source-offset}, so the record can be replayed and traced back.
   */
  public static Headers forDeadLetter(InboundRecord in, ErrorCategory category, String message) {
    Map<String, String> added = new LinkedHashMap<>();
    added.put(ERROR_CATEGORY, category.name());
    added.put(ERROR_MESSAGE, message == null ? "" : message);
    added.put(SOURCE_TOPIC, in.topic());
    added.put(SOURCE_PARTITION, Integer.toString(in.partition()));
    added.put(SOURCE_OFFSET, Long.toString(in.offset()));
    return copyReplacing(in.headers(), added);
  }

  private static Headers copyReplacing(Headers input, Map<String, String> added) {
    Set<String> replaced = added.keySet();
    RecordHeaders out = new RecordHeaders();
    for (Header header : input) {
      if (!replaced.contains(header.key())) {
        out.add(header.key(), header.value() == null ? null : header.value().clone());
      }
    }
    added.forEach((name, value) ->
        out.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    return out;
  }
}
