package dev.pew.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ResultEventTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Source SOURCE = new Source("onboarding-events", 3, 1042);
  private static final Instant RECEIVED = Instant.parse("2026-11-27T10:00:00.120Z");
  private static final Instant COMPLETED = Instant.parse("2026-11-27T10:00:00.310Z");
  private static final List<String> CONTRACT_FIELDS = List.of("eventId", "status", "cname", "email", "attempts",
      "httpStatus", "error", "source", "receivedAt", "completedAt", "durationMs");

  private static JsonNode tree(ResultEvent event) throws IOException {
    return MAPPER.readTree(event.toJsonBytes());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void writesSentEventExactlyLikeTheContractExample() throws IOException {
    ResultEvent sent = ResultEvent.sent(new OnboardingEvent("signup-8812", "hello@example.com", "example"),
        1, 200, SOURCE, RECEIVED, COMPLETED);

    JsonNode json = tree(sent);

    assertThat(fieldNames(json)).isEqualTo(CONTRACT_FIELDS);
    assertThat(json.get("eventId").textValue()).isEqualTo("signup-8812");
    assertThat(json.get("status").textValue()).isEqualTo("SENT");
    assertThat(json.get("cname").textValue()).isEqualTo("example");
    assertThat(json.get("email").textValue()).isEqualTo("hello@example.com");
    assertThat(json.get("attempts").isInt()).isTrue();
    assertThat(json.get("attempts").intValue()).isEqualTo(1);
    assertThat(json.get("httpStatus").intValue()).isEqualTo(200);
    assertThat(json.get("error").isNull()).isTrue();
    assertThat(fieldNames(json.get("source"))).containsExactly("topic", "partition", "offset");
    assertThat(json.get("source").get("topic").textValue()).isEqualTo("onboarding-events");
    assertThat(json.get("source").get("partition").intValue()).isEqualTo(3);
    assertThat(json.get("source").get("offset").longValue()).isEqualTo(1042);
    assertThat(json.get("receivedAt").textValue()).isEqualTo("2026-11-27T10:00:00.120Z");
    assertThat(json.get("completedAt").textValue()).isEqualTo("2026-11-27T10:00:00.310Z");
    assertThat(json.get("durationMs").longValue()).isEqualTo(190);
    assertThat(new String(sent.toJsonBytes(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"eventId\":\"signup-8812\",\"status\":\"SENT\",\"cname\":\"example\",\"email\":\"hello@example.com\","
            + "\"attempts\":1,\"httpStatus\":200,\"error\":null,"
            + "\"source\":{\"topic\":\"onboarding-events\",\"partition\":3,\"offset\":1042},"
            + "\"receivedAt\":\"2026-11-27T10:00:00.120Z\",\"completedAt\":\"2026-11-27T10:00:00.310Z\","
            + "\"durationMs\":190}");
  }

  @Test
  void writesNullCnameWhenTheEventHasNone() throws IOException {
    JsonNode json = tree(ResultEvent.sent(new OnboardingEvent("e", "hello@example.com", null), 2, 202,
        SOURCE, RECEIVED, COMPLETED));

    assertThat(json.has("cname")).isTrue();
    assertThat(json.get("cname").isNull()).isTrue();
  }

  @Test
  void writesFailedEventWithErrorObjectInOrder() throws IOException {
    ResultEvent failed = ResultEvent.failed("signup-8812", "hello@example.com", "example", 5, 503,
        ErrorCategory.RETRIES_EXHAUSTED, "HTTP 503 after 5 attempts", SOURCE, RECEIVED, COMPLETED);

    JsonNode json = tree(failed);

    assertThat(fieldNames(json)).isEqualTo(CONTRACT_FIELDS);
    assertThat(json.get("status").textValue()).isEqualTo("FAILED");
    assertThat(json.get("attempts").intValue()).isEqualTo(5);
    assertThat(json.get("httpStatus").intValue()).isEqualTo(503);
    assertThat(fieldNames(json.get("error"))).containsExactly("category", "message", "retryable");
    assertThat(json.get("error").get("category").textValue()).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(json.get("error").get("message").textValue()).isEqualTo("HTTP 503 after 5 attempts");
    assertThat(json.get("error").get("retryable").isBoolean()).isTrue();
    assertThat(json.get("error").get("retryable").booleanValue()).isTrue();
    assertThat(failed.error()).contains(
        new ResultEvent.ErrorInfo(ErrorCategory.RETRIES_EXHAUSTED, "HTTP 503 after 5 attempts", true));
  }

  @Test
  void writesNullHttpStatusWhenThereWasNoAnswer() throws IOException {
    JsonNode json = tree(ResultEvent.failed("e", "hello@example.com", null, 5, null,
        ErrorCategory.RETRIES_EXHAUSTED, "timeout", SOURCE, RECEIVED, COMPLETED));

    assertThat(json.has("httpStatus")).isTrue();
    assertThat(json.get("httpStatus").isNull()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(ErrorCategory.class)
  void takesRetryableFromTheCategory(ErrorCategory category) throws IOException {
    JsonNode json = tree(ResultEvent.failed("e", "hello@example.com", null, 1, 400, category, "m",
        SOURCE, RECEIVED, COMPLETED));

    assertThat(json.get("error").get("retryable").booleanValue()).isEqualTo(category.retryable());
    assertThat(json.get("error").get("category").textValue()).isEqualTo(category.name());
    assertThat(json.has("rawValue")).isFalse();
  }

  static Stream<Arguments> timestamps() {
    return Stream.of(
        Arguments.of("2026-11-27T10:00:00Z", "2026-11-27T10:00:00.000Z"),
        Arguments.of("2026-11-27T10:00:00.100Z", "2026-11-27T10:00:00.100Z"),
        Arguments.of("2026-11-27T10:00:00.123456789Z", "2026-11-27T10:00:00.123Z"),
        Arguments.of("2026-11-27T11:00:00.5+01:00", "2026-11-27T10:00:00.500Z"),
        Arguments.of("1999-01-02T03:04:05.006Z", "1999-01-02T03:04:05.006Z"));
  }

  @ParameterizedTest
  @MethodSource("timestamps")
  void writesUtcTimestampsWithExactlyThreeFractionDigits(String instant, String written) throws IOException {
    Instant at = java.time.OffsetDateTime.parse(instant).toInstant();

    JsonNode json = tree(ResultEvent.sent(new OnboardingEvent("e", "h@example.com", null), 1, 200, SOURCE, at, at));

    assertThat(json.get("receivedAt").textValue()).isEqualTo(written);
    assertThat(json.get("completedAt").textValue()).isEqualTo(written);
    assertThat(json.get("durationMs").longValue()).isZero();
  }

  @Test
  void neverWritesNegativeDurationWhenTheClockWentBack() {
    ResultEvent event = ResultEvent.sent(new OnboardingEvent("e", "h@example.com", null), 1, 200, SOURCE,
        COMPLETED, RECEIVED);

    assertThat(event.durationMs()).isZero();
  }

  @Test
  void writesInvalidEventWithRawTextValue() throws IOException {
    InboundRecord record = Records.json("{\"email\":\"nope\",\"cname\":\"example\"}");
    ParsedEvent.Invalid invalid = (ParsedEvent.Invalid) new EventParser().parse(record);

    ResultEvent event = ResultEvent.invalid(invalid, record, RECEIVED, COMPLETED);
    JsonNode json = tree(event);

    List<String> expected = new ArrayList<>(CONTRACT_FIELDS);
    expected.add("rawValue");
    assertThat(fieldNames(json)).isEqualTo(expected);
    assertThat(json.get("eventId").textValue()).isEqualTo(Records.COORDINATES);
    assertThat(json.get("status").textValue()).isEqualTo("FAILED");
    assertThat(json.get("email").textValue()).isEqualTo("nope");
    assertThat(json.get("cname").textValue()).isEqualTo("example");
    assertThat(json.get("attempts").intValue()).isZero();
    assertThat(json.get("httpStatus").isNull()).isTrue();
    assertThat(json.get("error").get("category").textValue()).isEqualTo("INVALID_EVENT");
    assertThat(json.get("error").get("message").textValue()).isEqualTo("email is not a plausible address");
    assertThat(json.get("error").get("retryable").booleanValue()).isFalse();
    assertThat(json.get("source").get("offset").longValue()).isEqualTo(Records.OFFSET);
    assertThat(json.get("rawValue").textValue()).isEqualTo("{\"email\":\"nope\",\"cname\":\"example\"}");
    assertThat(event.rawEncoding()).isNull();
  }

  @Test
  void writesNullEmailAndCnameForInvalidEventWithoutThem() throws IOException {
    InboundRecord record = Records.json("[1]");
    JsonNode json = tree(ResultEvent.invalid(
        (ParsedEvent.Invalid) new EventParser().parse(record), record, RECEIVED, COMPLETED));

    assertThat(json.get("email").isNull()).isTrue();
    assertThat(json.get("cname").isNull()).isTrue();
  }

  @Test
  void writesRawValueAsBase64WhenItIsNotUtf8() throws IOException {
    byte[] value = {'{', (byte) 0xFF, (byte) 0xFE, 0, '}'};
    InboundRecord record = Records.bytes(value);

    JsonNode json = tree(ResultEvent.invalid(
        (ParsedEvent.Invalid) new EventParser().parse(record), record, RECEIVED, COMPLETED));

    assertThat(fieldNames(json)).endsWith("durationMs", "rawValue", "rawEncoding");
    assertThat(json.get("rawEncoding").textValue()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(json.get("rawValue").textValue())).isEqualTo(value);
    assertThat(json.get("error").get("message").textValue()).isEqualTo("value is not valid UTF-8 text");
  }

  @Test
  void cutsOversizedTextValueAt64KiB() throws IOException {
    String value = "{\"pad\":\"" + "x".repeat(100_000) + "\"}";
    InboundRecord record = Records.json(value);

    JsonNode json = tree(ResultEvent.invalid(
        (ParsedEvent.Invalid) new EventParser().parse(record), record, RECEIVED, COMPLETED));

    assertThat(json.get("rawValue").textValue()).isEqualTo(value.substring(0, EventParser.MAX_VALUE_BYTES));
    assertThat(json.has("rawEncoding")).isFalse();
    assertThat(json.get("error").get("message").textValue()).isEqualTo("value is larger than 65536 bytes");
  }

  @Test
  void cutsOversizedTextBeforeACharacterThatWouldBeSplit() throws IOException {
    // "é" is two bytes; with an odd prefix, byte 65536 is the first half of one.
    String value = "x" + "\u00e9".repeat(40_000);
    InboundRecord record = Records.json(value);

    ResultEvent event = ResultEvent.invalid(
        (ParsedEvent.Invalid) new EventParser().parse(record), record, RECEIVED, COMPLETED);

    assertThat(event.rawEncoding()).isNull();
    assertThat(event.rawValue()).isEqualTo(value.substring(0, 1 + 32_767));
    assertThat(event.rawValue().getBytes(StandardCharsets.UTF_8)).hasSize(EventParser.MAX_VALUE_BYTES - 1);
    assertThat(tree(event).get("rawValue").textValue()).isEqualTo(event.rawValue());
  }

  @Test
  void cutsOversizedBinaryValueAt64KiBBeforeBase64() {
    byte[] value = new byte[100_000];
    Arrays.fill(value, (byte) 0xFF);
    InboundRecord record = Records.bytes(value);

    ResultEvent event = ResultEvent.invalid(
        (ParsedEvent.Invalid) new EventParser().parse(record), record, RECEIVED, COMPLETED);

    assertThat(event.rawEncoding()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(event.rawValue())).isEqualTo(Arrays.copyOf(value, EventParser.MAX_VALUE_BYTES));
  }

  @Test
  void keepsOverlongRawStringsOfInvalidEventAsData() throws IOException {
    String email = "l".repeat(300) + "@example.com";
    InboundRecord record = Records.json("{\"email\":\"" + email + "\"}");

    JsonNode json = tree(ResultEvent.invalid(
        (ParsedEvent.Invalid) new EventParser().parse(record), record, RECEIVED, COMPLETED));

    assertThat(json.get("email").textValue()).isEqualTo(email);
  }

  @Test
  void writesLoneSurrogateAsEscapeInsteadOfFailing() throws IOException {
    InboundRecord record = Records.json("{\"email\":\"\\ud800@example.com\"}");

    ResultEvent event = ResultEvent.invalid(
        (ParsedEvent.Invalid) new EventParser().parse(record), record, RECEIVED, COMPLETED);

    assertThat(tree(event).get("email").textValue()).isEqualTo("\ud800@example.com");
  }

  @Test
  void readsBackWhatItWrites() {
    InboundRecord record = Records.bytes(new byte[] {(byte) 0xFF});
    List<ResultEvent> events = List.of(
        ResultEvent.sent(new OnboardingEvent("a", "hello@example.com", "example"), 1, 200, SOURCE,
            Instant.parse("2026-11-27T10:00:00.123456Z"), COMPLETED),
        ResultEvent.failed("b", "hello@example.com", null, 3, null, ErrorCategory.NOT_FOUND, "HTTP 404",
            SOURCE, RECEIVED, COMPLETED),
        ResultEvent.invalid((ParsedEvent.Invalid) new EventParser().parse(record), record, RECEIVED, COMPLETED),
        ResultEvent.invalid(new ParsedEvent.Invalid("c", "value is not a JSON object", null, null),
            Records.json("[]"), RECEIVED, COMPLETED));

    for (ResultEvent event : events) {
      ResultEvent back = ResultEvents.fromJson(event.toJsonBytes());
      assertThat(back.toJsonBytes()).isEqualTo(event.toJsonBytes());
    }
    assertThat(events.get(0).receivedAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00.123Z"));
  }

  @Test
  void rejectsJsonThatIsNotAResultEvent() {
    assertThatThrownBy(() -> ResultEvents.fromJson("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResultEvents.fromJson("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void masksTheEmailWhenLogged() {
    ResultEvent event = ResultEvent.sent(new OnboardingEvent("e", "hello@example.com", null), 1, 200, SOURCE,
        RECEIVED, COMPLETED);

    assertThat(event.toString()).contains("h***@example.com").doesNotContain("hello@");
  }
}
