package dev.pew.event;

import static dev.pew.event.Records.COORDINATES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CloudEventsParsingTest {

  private static final String STRUCTURED_TYPE = "application/cloudevents+json; charset=UTF-8";
  private static final String DATA = "{\"email\":\"hello@example.com\",\"cname\":\"example\"}";

  private final EventParser parser = new EventParser();

  private static String envelope(String attributes, String dataMember) {
    return "{" + attributes + (attributes.isEmpty() || dataMember.isEmpty() ? "" : ",") + dataMember + "}";
  }

  private static final String ATTRIBUTES =
      "\"specversion\":\"1.0\",\"id\":\"ce-1\",\"source\":\"/signup\",\"type\":\"com.example.onboarded\"";

  private ParsedEvent parse(String value, String... headers) {
    return parser.parse(Records.json(value, headers));
  }

  // ---- structured mode ----

  @Test
  void readsStructuredEventMarkedByContentType() {
    ParsedEvent parsed = parse(envelope(ATTRIBUTES, "\"data\":" + DATA), "content-type", STRUCTURED_TYPE);

    assertThat(parsed).isInstanceOf(ParsedEvent.Valid.class);
    ParsedEvent.Valid valid = (ParsedEvent.Valid) parsed;
    assertThat(valid.event()).isEqualTo(new OnboardingEvent("ce-1", "hello@example.com", "example"));
    assertThat(valid.forwardHeaders()).containsExactly(
        entry("ce_id", "ce-1"), entry("ce_source", "/signup"), entry("ce_type", "com.example.onboarded"),
        entry("ce_specversion", "1.0"), entry("content-type", "application/json"));
  }

  @Test
  void readsStructuredEventRecognisedByItsEnvelopeWithoutContentType() {
    ParsedEvent.Valid valid = (ParsedEvent.Valid) parse(
        envelope(ATTRIBUTES + ",\"subject\":\"tenant-7\"", "\"data\":" + DATA));

    assertThat(valid.event().email()).isEqualTo("hello@example.com");
    assertThat(valid.forwardHeaders()).containsExactly(
        entry("ce_id", "ce-1"), entry("ce_source", "/signup"), entry("ce_type", "com.example.onboarded"),
        entry("ce_specversion", "1.0"), entry("ce_subject", "tenant-7"));
  }

  @Test
  void matchesContentTypeIgnoringCase() {
    assertThat(parse(envelope(ATTRIBUTES, "\"data\":" + DATA), "Content-Type", "Application/CloudEvents+JSON"))
        .isInstanceOf(ParsedEvent.Valid.class);
  }

  @Test
  void prefersEventIdInDataOverCloudEventsId() {
    String data = "{\"eventId\":\"signup-8812\",\"email\":\"hello@example.com\"}";

    ParsedEvent.Valid valid = (ParsedEvent.Valid) parse(envelope(ATTRIBUTES, "\"data\":" + data), "event-id", "h");

    assertThat(valid.eventId()).isEqualTo("signup-8812");
    assertThat(valid.forwardHeaders()).containsEntry("ce_id", "ce-1");
  }

  @Test
  void readsEmailOnlyFromDataNotFromTheEnvelope() {
    ParsedEvent parsed = parse(envelope(ATTRIBUTES + ",\"email\":\"hello@example.com\"", "\"data\":{}"));

    assertThat(parsed).isEqualTo(new ParsedEvent.Invalid("ce-1", "email is missing", null, null));
  }

  static Stream<Arguments> badStructuredEvents() {
    String id = "\"id\":\"ce-1\"";
    String source = "\"source\":\"/signup\"";
    String type = "\"type\":\"t\"";
    String spec = "\"specversion\":\"1.0\"";
    String data = "\"data\":" + DATA;
    return Stream.of(
        Arguments.of(envelope(String.join(",", id, source, type), data), "CloudEvents attribute specversion is missing"),
        Arguments.of(envelope(String.join(",", "\"specversion\":1", id, source, type), data), "CloudEvents attribute specversion is not a string"),
        Arguments.of(envelope(String.join(",", "\"specversion\":\"0.3\"", id, source, type), data), "CloudEvents specversion is not 1.0"),
        Arguments.of(envelope(String.join(",", spec, source, type), data), "CloudEvents attribute id is missing"),
        Arguments.of(envelope(String.join(",", spec, "\"id\":null", source, type), data), "CloudEvents attribute id is missing"),
        Arguments.of(envelope(String.join(",", spec, "\"id\":7", source, type), data), "CloudEvents attribute id is not a string"),
        Arguments.of(envelope(String.join(",", spec, "\"id\":\"\"", source, type), data), "CloudEvents attribute id is empty"),
        Arguments.of(envelope(String.join(",", spec, "\"id\":\"" + "i".repeat(201) + "\"", source, type), data), "CloudEvents id is longer than 200 characters"),
        Arguments.of(envelope(String.join(",", spec, id, type), data), "CloudEvents attribute source is missing"),
        Arguments.of(envelope(String.join(",", spec, id, "\"source\":\"\"", type), data), "CloudEvents attribute source is empty"),
        Arguments.of(envelope(String.join(",", spec, id, source), data), "CloudEvents attribute type is missing"),
        Arguments.of(envelope(String.join(",", spec, id, source, "\"type\":[]"), data), "CloudEvents attribute type is not a string"),
        Arguments.of(envelope(String.join(",", spec, id, source, type, "\"subject\":1"), data), "CloudEvents attribute subject is not a string"),
        Arguments.of(envelope(String.join(",", spec, id, source, type), "\"data_base64\":\"e30=\""), "CloudEvents data_base64 is not supported"),
        Arguments.of(envelope(String.join(",", spec, id, source, type), ""), "CloudEvents data is missing"),
        Arguments.of(envelope(String.join(",", spec, id, source, type), "\"data\":null"), "CloudEvents data is missing"),
        Arguments.of(envelope(String.join(",", spec, id, source, type), "\"data\":\"{}\""), "CloudEvents data is not a JSON object"));
  }

  @ParameterizedTest
  @MethodSource("badStructuredEvents")
  void rejectsBrokenStructuredEventWithAClearReason(String value, String reason) {
    ParsedEvent parsed = parse(value, "content-type", STRUCTURED_TYPE);

    assertThat(parsed).isInstanceOf(ParsedEvent.Invalid.class);
    assertThat(((ParsedEvent.Invalid) parsed).reason()).isEqualTo(reason);
  }

  @Test
  void recognisesDataBase64EnvelopeWithoutContentTypeToSayItIsUnsupported() {
    ParsedEvent parsed = parse(envelope(ATTRIBUTES, "\"data_base64\":\"e30=\""));

    assertThat(parsed).isEqualTo(new ParsedEvent.Invalid("ce-1", "CloudEvents data_base64 is not supported", null, null));
  }

  @Test
  void givesBrokenStructuredEventTheCloudEventsIdAndTheRawFieldsOfData() {
    String value = envelope("\"specversion\":\"1.0\",\"id\":\"ce-1\",\"type\":\"t\"", "\"data\":" + DATA);

    assertThat(parse(value, "content-type", STRUCTURED_TYPE, "event-id", "h")).isEqualTo(new ParsedEvent.Invalid(
        "ce-1", "CloudEvents attribute source is missing", "hello@example.com", "example"));
  }

  @Test
  void givesStructuredEventWithUnusableIdTheEventIdHeader() {
    String value = envelope("\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"s\",\"type\":\"t\"", "\"data\":" + DATA);

    assertThat(parse(value, "event-id", "h").eventId()).isEqualTo("h");
  }

  @Test
  void validatesDataLikeAPlainValue() {
    ParsedEvent parsed = parse(envelope(ATTRIBUTES, "\"data\":{\"email\":\"nope\"}"), "content-type", STRUCTURED_TYPE);

    assertThat(parsed).isEqualTo(new ParsedEvent.Invalid("ce-1", "email is not a plausible address", "nope", null));
  }

  @Test
  void treatsObjectWithSpecversionButNoDataAsPlain() {
    assertThat(parse("{\"specversion\":\"1.0\",\"email\":\"hello@example.com\"}"))
        .isEqualTo(new ParsedEvent.Valid(new OnboardingEvent(COORDINATES, "hello@example.com", null)));
  }

  // ---- binary mode ----

  private static final String[] BINARY_HEADERS = {
      "ce_specversion", "1.0", "ce_id", "ce-9", "ce_source", "/signup", "ce_type", "com.example.onboarded",
      "content-type", "application/json"};

  @Test
  void readsBinaryEventFromHeadersAndPlainValue() {
    ParsedEvent parsed = parse(DATA, BINARY_HEADERS);

    assertThat(parsed).isEqualTo(new ParsedEvent.Valid(
        new OnboardingEvent("ce-9", "hello@example.com", "example"), Map.of()));
  }

  @Test
  void letsContentTypeDecideWhenBothModesAreSignalled() {
    ParsedEvent parsed = parse(envelope(ATTRIBUTES, "\"data\":" + DATA),
        "ce_specversion", "1.0", "ce_id", "header-id", "content-type", STRUCTURED_TYPE);

    assertThat(parsed.eventId()).isEqualTo("ce-1");
  }

  static Stream<Arguments> badBinaryHeaders() {
    return Stream.of(
        Arguments.of(new String[] {"ce_specversion", "0.3", "ce_id", "x", "ce_source", "s", "ce_type", "t"}, "CloudEvents header ce_specversion is not 1.0"),
        Arguments.of(new String[] {"ce_specversion", "", "ce_id", "x", "ce_source", "s", "ce_type", "t"}, "CloudEvents header ce_specversion is empty"),
        Arguments.of(new String[] {"ce_specversion", null, "ce_id", "x", "ce_source", "s", "ce_type", "t"}, "CloudEvents header ce_specversion is missing"),
        Arguments.of(new String[] {"ce_specversion", "1.0", "ce_source", "s", "ce_type", "t"}, "CloudEvents header ce_id is missing"),
        Arguments.of(new String[] {"ce_specversion", "1.0", "ce_id", "", "ce_source", "s", "ce_type", "t"}, "CloudEvents header ce_id is empty"),
        Arguments.of(new String[] {"ce_specversion", "1.0", "ce_id", "i".repeat(201), "ce_source", "s", "ce_type", "t"}, "CloudEvents header ce_id is longer than 200 characters"),
        Arguments.of(new String[] {"ce_specversion", "1.0", "ce_id", "x", "ce_type", "t"}, "CloudEvents header ce_source is missing"),
        Arguments.of(new String[] {"ce_specversion", "1.0", "ce_id", "x", "ce_source", "s"}, "CloudEvents header ce_type is missing"));
  }

  @ParameterizedTest
  @MethodSource("badBinaryHeaders")
  void rejectsBrokenBinaryEventWithAClearReason(String[] headers, String reason) {
    ParsedEvent parsed = parse(DATA, headers);

    assertThat(parsed).isInstanceOf(ParsedEvent.Invalid.class);
    assertThat(((ParsedEvent.Invalid) parsed).reason()).isEqualTo(reason);
    assertThat(((ParsedEvent.Invalid) parsed).email()).isEqualTo("hello@example.com");
  }

  @Test
  void rejectsBinaryHeaderThatIsNotUtf8() {
    InboundRecord record = Records.json(DATA, "ce_specversion", "1.0", "ce_id", "x", "ce_type", "t");
    record.headers().add("ce_source", new byte[] {(byte) 0xC3});

    assertThat(((ParsedEvent.Invalid) parser.parse(record)).reason())
        .isEqualTo("CloudEvents header ce_source is not valid UTF-8 text");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[]"})
  void givesBinaryEventWithBadValueItsCloudEventsId(String value) {
    assertThat(parse(value, BINARY_HEADERS).eventId()).isEqualTo("ce-9");
  }
}
