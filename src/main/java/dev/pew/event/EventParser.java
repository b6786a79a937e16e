package dev.pew.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an input record into a {@link ParsedEvent} following the contract's "Input record" section:
 * plain JSON objects, CloudEvents 1.0 in structured mode (the JSON envelope carries the attributes
 * and {@code data}) and in binary mode ({@code ce_*} headers, the value is the plain object).
 *
 * <p>Guarantees: never throws for any value bytes (a tombstone is the caller's business and is
 * rejected); every result has an event id, chosen as: the {@code eventId} field (when valid) &gt;
 * the CloudEvents id &gt; the {@code event-id} header &gt; {@code <topic>-<partition>-<offset>}.
 * Reasons are short fixed texts that never quote the value. Stateless and thread-safe.
 */
public final class EventParser {

  /** Values longer than this are not parsed (contract: "A value over 64 KiB is not parsed"). */
  public static final int MAX_VALUE_BYTES = 65_536;

  static final String CONTENT_TYPE = "content-type";
  static final String CLOUDEVENTS_JSON = "application/cloudevents+json";
  static final String CE_SPECVERSION = "ce_specversion";
  static final String CE_ID = "ce_id";
  static final String CE_SOURCE = "ce_source";
  static final String CE_TYPE = "ce_type";
  static final String CE_SUBJECT = "ce_subject";
  private static final String SPEC_VERSION = "1.0";

  private static final Logger LOG = LoggerFactory.getLogger(EventParser.class);

  public EventParser() {}

  /**
   * Parses and validates {@code record}.
   *
   * @throws IllegalArgumentException for a tombstone ({@code value == null}): those are skipped
   */
  public ParsedEvent parse(InboundRecord record) {
    if (record.isTombstone()) {
      throw new IllegalArgumentException("tombstone " + record.coordinates() + " has no event to parse");
    }
    try {
      return parseValue(record, Ids.of(record));
    } catch (RuntimeException unexpected) {
      // A bug here must not stop the partition: the record still fails visibly, with its bytes.
      // The exception message is not logged because it could quote the value.
      LOG.error("unexpected {} while parsing {}", unexpected.getClass().getName(), record.coordinates());
      return new ParsedEvent.Invalid(record.coordinates(), "value could not be read", null, null);
    }
  }

  private ParsedEvent parseValue(InboundRecord record, Ids ids) {
    byte[] value = record.value();
    if (value.length > MAX_VALUE_BYTES) {
      return invalid(ids, "value is larger than " + MAX_VALUE_BYTES + " bytes");
    }
    String text = Utf8.decodeStrict(value);
    if (text == null) {
      return invalid(ids, "value is not valid UTF-8 text");
    }
    JsonNode root;
    try {
      root = StrictJson.read(withoutByteOrderMark(text));
    } catch (InvalidValueException e) {
      return invalid(ids, e.reason());
    }
    if (!root.isObject()) {
      return invalid(ids, "value is not a JSON object");
    }
    ObjectNode object = (ObjectNode) root;
    if (ids.structuredContentType || looksLikeStructuredCloudEvent(object)) {
      return structured(object, ids);
    }
    if (ids.binaryMode) {
      return binary(record.headers(), object, ids);
    }
    return payload(object, null, null, Map.of(), ids);
  }

  /** Without the content-type header, a structured CloudEvent is recognised by its envelope. */
  private static boolean looksLikeStructuredCloudEvent(ObjectNode object) {
    JsonNode specversion = object.get("specversion");
    return specversion != null && specversion.isTextual()
        && (object.has("data") || object.has("data_base64"));
  }

  private static ParsedEvent structured(ObjectNode envelope, Ids ids) {
    JsonNode id = envelope.get("id");
    JsonNode data = envelope.get("data");
    String problem = firstOf(
        specVersionProblem(envelope),
        attributeProblem(envelope, "id"),
        id != null && id.isTextual() ? FieldRules.idProblem("CloudEvents id", id.textValue()) : null,
        attributeProblem(envelope, "source"),
        attributeProblem(envelope, "type"),
        optionalAttributeProblem(envelope, "subject"),
        !FieldRules.isAbsent(envelope.get("data_base64")) ? "CloudEvents data_base64 is not supported" : null,
        FieldRules.isAbsent(data) ? "CloudEvents data is missing" : null,
        data != null && !data.isNull() && !data.isObject() ? "CloudEvents data is not a JSON object" : null);
    String cloudEventsId = id != null && id.isTextual()
        && FieldRules.idProblem("CloudEvents id", id.textValue()) == null ? id.textValue() : null;
    Map<String, String> forward = new LinkedHashMap<>();
    if (problem == null) {
      forward.put(CE_ID, cloudEventsId);
      forward.put(CE_SOURCE, envelope.get("source").textValue());
      forward.put(CE_TYPE, envelope.get("type").textValue());
      forward.put(CE_SPECVERSION, SPEC_VERSION);
      JsonNode subject = envelope.get("subject");
      if (subject != null && subject.isTextual()) {
        forward.put(CE_SUBJECT, subject.textValue());
      }
      if (ids.structuredContentType) {
        // The result value is plain JSON, not a CloudEvents envelope: copying the input's
        // content-type would make consumers misread it. With the ce_* headers the result is a
        // binary-mode CloudEvent whose data is the result JSON.
        forward.put(CONTENT_TYPE, "application/json");
      }
    }
    ObjectNode payload = data != null && data.isObject() ? (ObjectNode) data : null;
    return payload(payload, cloudEventsId, problem, forward, ids);
  }

  private static ParsedEvent binary(Headers headers, ObjectNode object, Ids ids) {
    String specversion = Ids.header(headers, CE_SPECVERSION);
    String id = Ids.header(headers, CE_ID);
    String problem = firstOf(
        headerProblem(headers, CE_SPECVERSION),
        specversion != null && !specversion.isEmpty() && !SPEC_VERSION.equals(specversion)
            ? "CloudEvents header ce_specversion is not 1.0" : null,
        headerProblem(headers, CE_ID),
        id != null && !id.isEmpty() ? FieldRules.idProblem("CloudEvents header ce_id", id) : null,
        headerProblem(headers, CE_SOURCE),
        headerProblem(headers, CE_TYPE));
    return payload(object, ids.binaryCloudEventsId, problem, Map.of(), ids);
  }

  /**
   * Validates the object holding {@code email}, {@code cname} and {@code eventId} (the value itself,
   * or a structured CloudEvent's {@code data}, null when there is none) and picks the event id.
   */
  private static ParsedEvent payload(ObjectNode payload, String cloudEventsId, String envelopeProblem,
      Map<String, String> forward, Ids ids) {
    JsonNode eventIdNode = payload == null ? null : payload.get("eventId");
    JsonNode emailNode = payload == null ? null : payload.get("email");
    JsonNode cnameNode = payload == null ? null : payload.get("cname");
    String eventIdProblem = FieldRules.eventIdProblem(eventIdNode);
    String fieldEventId = eventIdProblem == null && eventIdNode != null && eventIdNode.isTextual()
        ? eventIdNode.textValue() : null;
    String eventId = fieldEventId != null ? fieldEventId : cloudEventsId != null ? cloudEventsId : ids.fallback();
    String email = textOrNull(emailNode);
    String cname = textOrNull(cnameNode);
    String problem = firstOf(envelopeProblem, eventIdProblem, FieldRules.emailProblem(emailNode),
        FieldRules.cnameProblem(cnameNode));
    if (problem != null) {
      return new ParsedEvent.Invalid(eventId, problem, email, cname);
    }
    return new ParsedEvent.Valid(new OnboardingEvent(eventId, email, cname), forward);
  }

  private static ParsedEvent invalid(Ids ids, String reason) {
    return new ParsedEvent.Invalid(ids.fallback(), reason, null, null);
  }

  private static String specVersionProblem(ObjectNode envelope) {
    String problem = attributeProblem(envelope, "specversion");
    if (problem == null && !SPEC_VERSION.equals(envelope.get("specversion").textValue())) {
      return "CloudEvents specversion is not 1.0";
    }
    return problem;
  }

  private static String attributeProblem(ObjectNode envelope, String name) {
    JsonNode node = envelope.get(name);
    if (FieldRules.isAbsent(node)) {
      return "CloudEvents attribute " + name + " is missing";
    }
    if (!node.isTextual()) {
      return "CloudEvents attribute " + name + " is not a string";
    }
    return node.textValue().isEmpty() ? "CloudEvents attribute " + name + " is empty" : null;
  }

  private static String optionalAttributeProblem(ObjectNode envelope, String name) {
    JsonNode node = envelope.get(name);
    return FieldRules.isAbsent(node) || node.isTextual()
        ? null : "CloudEvents attribute " + name + " is not a string";
  }

  private static String headerProblem(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    if (header == null || header.value() == null) {
      return "CloudEvents header " + name + " is missing";
    }
    String value = Utf8.decodeStrict(header.value());
    if (value == null) {
      return "CloudEvents header " + name + " is not valid UTF-8 text";
    }
    return value.isEmpty() ? "CloudEvents header " + name + " is empty" : null;
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  private static String withoutByteOrderMark(String text) {
    // RFC 8259 lets a parser ignore a leading byte order mark; some producers still write one.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  @SafeVarargs
  private static <T> T firstOf(T... candidates) {
    for (T candidate : candidates) {
      if (candidate != null) {
        return candidate;
      }
    }
    return null;
  }

  /** What the headers and coordinates say about the record, read once before the value. */
  private static final class Ids {
    final boolean structuredContentType;
    final boolean binaryMode;
    /** The binary-mode {@code ce_id}, when it is usable as an event id. */
    final String binaryCloudEventsId;
    final String headerEventId;
    private final InboundRecord record;

    private Ids(InboundRecord record) {
      Headers headers = record.headers();
      String contentType = lastHeaderIgnoringCase(headers, CONTENT_TYPE);
      structuredContentType = contentType != null
          && contentType.trim().toLowerCase(Locale.ROOT).startsWith(CLOUDEVENTS_JSON);
      // The content type decides the mode when both are present (CloudEvents Kafka binding).
      binaryMode = !structuredContentType && headers.lastHeader(CE_SPECVERSION) != null;
      binaryCloudEventsId = binaryMode ? usableId(header(headers, CE_ID)) : null;
      headerEventId = usableId(header(headers, ResultHeaders.EVENT_ID));
      this.record = record;
    }

    static Ids of(InboundRecord record) {
      return new Ids(record);
    }

    /** The event id when the value itself names none; the coordinates' string only when needed. */
    String fallback() {
      return binaryCloudEventsId != null ? binaryCloudEventsId : headerEventId != null ? headerEventId : record.coordinates();
    }

    /** The last header of that name as strict UTF-8 text, or null. */
    static String header(Headers headers, String name) {
      Header header = headers.lastHeader(name);
      return header == null || header.value() == null ? null : Utf8.decodeStrict(header.value());
    }

    private static String lastHeaderIgnoringCase(Headers headers, String name) {
      String found = null;
      for (Header header : headers) {
        if (header.key().equalsIgnoreCase(name) && header.value() != null) {
          found = Utf8.decodeStrict(header.value());
        }
      }
      return found;
    }

    private static String usableId(String id) {
      return id != null && FieldRules.idProblem("id", id) == null ? id : null;
    }
  }
}
