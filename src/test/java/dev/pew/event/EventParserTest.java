package dev.pew.event;

import static dev.pew.event.Records.COORDINATES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTest {

  private final EventParser parser = new EventParser();

  private ParsedEvent parse(String value, String... headers) {
    return parser.parse(Records.json(value, headers));
  }

  private ParsedEvent.Invalid invalid(String value, String... headers) {
    ParsedEvent parsed = parse(value, headers);
    assertThat(parsed).isInstanceOf(ParsedEvent.Invalid.class);
    return (ParsedEvent.Invalid) parsed;
  }

  private OnboardingEvent valid(String value, String... headers) {
    ParsedEvent parsed = parse(value, headers);
    assertThat(parsed).as("parsed %s", value).isInstanceOf(ParsedEvent.Valid.class);
    return ((ParsedEvent.Valid) parsed).event();
  }

  @Test
  void acceptsPlainEventWithAllFields() {
    ParsedEvent parsed = parse("{\"eventId\":\"signup-8812\",\"email\":\"hello@example.com\",\"cname\":\"example\"}");

    assertThat(parsed).isEqualTo(new ParsedEvent.Valid(
        new OnboardingEvent("signup-8812", "hello@example.com", "example")));
    assertThat(((ParsedEvent.Valid) parsed).forwardHeaders()).isEmpty();
    assertThat(parsed.eventId()).isEqualTo("signup-8812");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"email\":\"hello@example.com\"}",
      "{\"email\":\"hello@example.com\",\"cname\":null}",
      "{\"email\":\"hello@example.com\",\"eventId\":null}"})
  void treatsMissingOrNullCnameAndEventIdAsAbsent(String value) {
    assertThat(valid(value)).isEqualTo(new OnboardingEvent(COORDINATES, "hello@example.com", null));
  }

  @Test
  void ignoresUnknownFields() {
    assertThat(valid("{\"email\":\"hello@example.com\",\"plan\":{\"tier\":\"gold\"},\"tags\":[1,2.5,true,null]}").email())
        .isEqualTo("hello@example.com");
  }

  @Test
  void takesEmailAsIsWithoutTrimming() {
    ParsedEvent.Invalid invalid = invalid("{\"email\":\" hello@example.com \"}");

    assertThat(invalid.reason()).isEqualTo("email is not a plausible address");
    assertThat(invalid.email()).isEqualTo(" hello@example.com ");
  }

  @Test
  void acceptsLeadingByteOrderMark() {
    assertThat(valid("\uFEFF{\"email\":\"hello@example.com\"}").email()).isEqualTo("hello@example.com");
  }

  @Test
  void rejectsTombstoneForTheCallerToSkip() {
    InboundRecord tombstone = Records.bytes(null);

    assertThatThrownBy(() -> parser.parse(tombstone)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- value-level reasons ----

  @Test
  void doesNotParseValueOver64KiB() {
    String big = "{\"email\":\"hello@example.com\",\"pad\":\"" + "x".repeat(EventParser.MAX_VALUE_BYTES) + "\"}";

    assertThat(invalid(big)).isEqualTo(
        new ParsedEvent.Invalid(COORDINATES, "value is larger than 65536 bytes", null, null));
  }

  @Test
  void parsesValueOfExactly64KiB() {
    String prefix = "{\"email\":\"hello@example.com\",\"pad\":\"";
    String value = prefix + "x".repeat(EventParser.MAX_VALUE_BYTES - prefix.length() - 2) + "\"}";
    assertThat(value.getBytes(StandardCharsets.UTF_8)).hasSize(EventParser.MAX_VALUE_BYTES);

    assertThat(valid(value).email()).isEqualTo("hello@example.com");
  }

  static Stream<byte[]> notUtf8() {
    return Stream.of(
        new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0xFF, '"', '}'},     // never valid
        new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'},     // truncated sequence
        new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, // overlong '/'
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},                    // encoded surrogate
        "{\"email\":\"h\u00e9llo@example.com\"}".getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @MethodSource("notUtf8")
  void rejectsValueThatIsNotUtf8(byte[] value) {
    assertThat(parser.parse(Records.bytes(value))).isEqualTo(
        new ParsedEvent.Invalid(COORDINATES, "value is not valid UTF-8 text", null, null));
  }

  static Stream<Arguments> notJson() {
    return Stream.of(
        Arguments.of("", 1, 1),
        Arguments.of("   ", 1, 4),
        Arguments.of("{\"email\":\"hello@example.com\"", 1, 29),
        Arguments.of("{\"email\":\"hello@example.com\"} {}", 1, 31),
        // Jackson places an unrecognised token's error just after the token.
        Arguments.of("{\"email\":\"hello@example.com\"}x", 1, 31),
        Arguments.of("{\"a\":1}\n\n  [", 3, 3),
        Arguments.of("{\n  \"email\": \"hello@example.com\",\n  oops}", 3, 3),
        Arguments.of("{'email':'hello@example.com'}", 1, 2),
        Arguments.of("{\"email\":\"hello@example.com\",}", 1, 30));
  }

  @ParameterizedTest
  @MethodSource("notJson")
  void rejectsValueThatIsNotJsonWithItsPositionButNotItsContent(String value, int line, int column) {
    ParsedEvent.Invalid invalid = invalid(value);

    assertThat(invalid).isEqualTo(new ParsedEvent.Invalid(
        COORDINATES, "value is not valid JSON (line " + line + ", column " + column + ")", null, null));
  }

  @Test
  void rejectsDeeplyNestedValueWithoutBlowingTheStack() {
    assertThat(invalid("[".repeat(50_000)).reason()).startsWith("value is not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[{\"email\":\"hello@example.com\"}]", "\"hello@example.com\"", "42", "null", "true"})
  void rejectsJsonThatIsNotAnObject(String value) {
    assertThat(invalid(value)).isEqualTo(
        new ParsedEvent.Invalid(COORDINATES, "value is not a JSON object", null, null));
  }

  @Test
  void rejectsDuplicateFieldNamingTheField() {
    ParsedEvent.Invalid invalid = invalid("{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}");

    assertThat(invalid.reason()).isEqualTo("duplicate field email");
  }

  @Test
  void rejectsDuplicateFieldAtAnyDepth() {
    assertThat(invalid("{\"email\":\"a@example.com\",\"x\":{\"k\":1,\"k\":2}}").reason())
        .isEqualTo("duplicate field k");
  }

  @Test
  void neverEchoesADuplicateFieldNameThatCouldBeAnAddress() {
    assertThat(invalid("{\"a@example.com\":1,\"a@example.com\":2}").reason()).isEqualTo("duplicate field");
  }

  // ---- field rules ----

  @ParameterizedTest
  @ValueSource(strings = {
      "hello@example.com",
      "h@ex.co",
      "first.last+tag@mail.example.co.uk",
      "o'brien@example.org",
      "\u00fcser@example.com",
      "x@xn--80ak6aa92e.xn--p1ai",
      "a@a-b.c-d.example"})
  void acceptsPlausibleEmail(String email) {
    assertThat(valid("{\"email\":\"" + email + "\"}").email()).isEqualTo(email);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "hello", "hello@", "@example.com", "a@b@example.com", "hello@example", "hello@example.c",
      "hello@example.c0m", "hello@-example.com", "hello@example-.com", "hello@exa_mple.com",
      "hello@example..com", "hello@.example.com", "hello@example.com.", "hel lo@example.com",
      "hello\\t@example.com", "hello\\u0000@example.com", "hello@exa mple.com", "hello@b\u00fccher.de"})
  void rejectsImplausibleEmail(String email) {
    assertThat(invalid("{\"email\":\"" + email + "\"}").reason()).isEqualTo("email is not a plausible address");
  }

  @Test
  void enforcesEmailLocalPartOf64AndLengthOf254() {
    String domain = "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(50) + ".com"; // 183 chars
    assertThat(valid("{\"email\":\"" + "l".repeat(64) + domain + "\"}").email()).hasSize(247);
    assertThat(invalid("{\"email\":\"" + "l".repeat(65) + domain + "\"}").reason())
        .isEqualTo("email is not a plausible address");

    String at254 = "l".repeat(64) + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(57) + ".com";
    assertThat(at254).hasSize(254);
    assertThat(valid("{\"email\":\"" + at254 + "\"}").email()).isEqualTo(at254);

    String longer = at254.replace("@", "l@");
    ParsedEvent.Invalid tooLong = invalid("{\"email\":\"" + longer + "\"}");
    assertThat(tooLong.reason()).isEqualTo("email is longer than 254 characters");
    assertThat(tooLong.email()).isEqualTo(longer);
  }

  static Stream<Arguments> badEmailTypes() {
    return Stream.of(
        Arguments.of("{}", "email is missing"),
        Arguments.of("{\"email\":null}", "email is missing"),
        Arguments.of("{\"email\":42}", "email is not a string"),
        Arguments.of("{\"email\":[\"hello@example.com\"]}", "email is not a string"),
        Arguments.of("{\"email\":{\"address\":\"hello@example.com\"}}", "email is not a string"));
  }

  @ParameterizedTest
  @MethodSource("badEmailTypes")
  void rejectsMissingOrNonStringEmail(String value, String reason) {
    assertThat(invalid(value)).isEqualTo(new ParsedEvent.Invalid(COORDINATES, reason, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"example", "tenant-1", "a.b.c", "X1", "a", "xn--bcher-kva"})
  void acceptsDnsStyleCname(String cname) {
    assertThat(valid("{\"email\":\"hello@example.com\",\"cname\":\"" + cname + "\"}").cname()).isEqualTo(cname);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-tenant", "tenant-", "ten ant", "ten_ant", "a..b", ".a", "a.", "t\u00e9nant", "a/b"})
  void rejectsCnameThatIsNotDnsStyle(String cname) {
    ParsedEvent.Invalid invalid = invalid("{\"email\":\"hello@example.com\",\"cname\":\"" + cname + "\"}");

    assertThat(invalid.reason()).isEqualTo("cname is not a DNS-style name");
    assertThat(invalid.cname()).isEqualTo(cname);
    assertThat(invalid.email()).isEqualTo("hello@example.com");
  }

  @Test
  void enforcesCnameLabelOf63AndLengthOf253() {
    String label63 = "c".repeat(63);
    assertThat(valid("{\"email\":\"hello@example.com\",\"cname\":\"" + label63 + "\"}").cname()).isEqualTo(label63);
    assertThat(invalid("{\"email\":\"hello@example.com\",\"cname\":\"" + label63 + "c\"}").reason())
        .isEqualTo("cname is not a DNS-style name");

    String at253 = String.join(".", label63, label63, label63, "c".repeat(61));
    assertThat(at253).hasSize(253);
    assertThat(valid("{\"email\":\"hello@example.com\",\"cname\":\"" + at253 + "\"}").cname()).isEqualTo(at253);
    assertThat(invalid("{\"email\":\"hello@example.com\",\"cname\":\"" + at253 + "c\"}").reason())
        .isEqualTo("cname is longer than 253 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "true", "[\"example\"]", "{}"})
  void rejectsCnameThatIsNotAString(String cname) {
    assertThat(invalid("{\"email\":\"hello@example.com\",\"cname\":" + cname + "}").reason())
        .isEqualTo("cname is not a string");
  }

  static Stream<Arguments> badEventIds() {
    return Stream.of(
        Arguments.of("42", "eventId is not a string"),
        Arguments.of("{\"id\":\"x\"}", "eventId is not a string"),
        Arguments.of("\"\"", "eventId is empty"),
        Arguments.of("\"" + "i".repeat(201) + "\"", "eventId is longer than 200 characters"),
        Arguments.of("\"\\ud800\"", "eventId is not well-formed Unicode"));
  }

  @ParameterizedTest
  @MethodSource("badEventIds")
  void rejectsBadEventIdAndFallsBackToTheNextId(String eventId, String reason) {
    ParsedEvent.Invalid invalid = invalid(
        "{\"email\":\"hello@example.com\",\"eventId\":" + eventId + "}", "event-id", "from-header");

    assertThat(invalid).isEqualTo(new ParsedEvent.Invalid("from-header", reason, "hello@example.com", null));
  }

  @Test
  void acceptsEventIdOf200CharactersCountingCodePoints() {
    String id = "\uD83D\uDE00".repeat(200); // 200 emoji, 400 UTF-16 units
    assertThat(valid("{\"email\":\"hello@example.com\",\"eventId\":\"" + id + "\"}").eventId()).isEqualTo(id);
  }

  @Test
  void reportsTheFirstProblemInOrderEventIdEmailCname() {
    ParsedEvent.Invalid invalid = invalid("{\"eventId\":1,\"email\":\"nope\",\"cname\":\"-x\"}");

    assertThat(invalid.reason()).isEqualTo("eventId is not a string");
    assertThat(invalid.email()).isEqualTo("nope");
    assertThat(invalid.cname()).isEqualTo("-x");
  }

  @Test
  void keepsBestEffortRawStringsOnlyWhenTheyAreStrings() {
    ParsedEvent.Invalid invalid = invalid("{\"email\":7,\"cname\":\"example\"}");

    assertThat(invalid.email()).isNull();
    assertThat(invalid.cname()).isEqualTo("example");
  }

  // ---- event id precedence ----

  @Test
  void prefersEventIdFieldOverEveryHeader() {
    assertThat(valid("{\"eventId\":\"field\",\"email\":\"hello@example.com\"}",
        "event-id", "header", "ce_specversion", "1.0", "ce_id", "ce", "ce_source", "s", "ce_type", "t").eventId())
        .isEqualTo("field");
  }

  @Test
  void prefersCloudEventsIdOverEventIdHeader() {
    assertThat(valid("{\"email\":\"hello@example.com\"}",
        "event-id", "header", "ce_specversion", "1.0", "ce_id", "ce", "ce_source", "s", "ce_type", "t").eventId())
        .isEqualTo("ce");
  }

  @Test
  void usesEventIdHeaderWhenTheValueNamesNone() {
    assertThat(valid("{\"email\":\"hello@example.com\"}", "event-id", "header").eventId()).isEqualTo("header");
  }

  @Test
  void usesTheLastEventIdHeaderWhenThereAreSeveral() {
    assertThat(valid("{\"email\":\"hello@example.com\"}", "event-id", "first", "event-id", "last").eventId())
        .isEqualTo("last");
  }

  static Stream<String> unusableEventIdHeaders() {
    return Stream.of("", "h".repeat(201));
  }

  @ParameterizedTest
  @MethodSource("unusableEventIdHeaders")
  void ignoresEmptyOrOverlongEventIdHeader(String header) {
    assertThat(valid("{\"email\":\"hello@example.com\"}", "event-id", header).eventId()).isEqualTo(COORDINATES);
  }

  @Test
  void ignoresEventIdHeaderThatIsNotUtf8() {
    InboundRecord record = Records.json("{\"email\":\"hello@example.com\"}");
    record.headers().add("event-id", new byte[] {(byte) 0xFF});

    assertThat(parser.parse(record).eventId()).isEqualTo(COORDINATES);
  }

  @Test
  void usesCoordinatesAsLastResort() {
    assertThat(valid("{\"email\":\"hello@example.com\"}").eventId()).isEqualTo("onboarding-events-3-1042");
  }

  @Test
  void givesInvalidEventsAnIdByTheSameOrderAsFarAsItCanBeRead() {
    assertThat(invalid("not json", "event-id", "header").eventId()).isEqualTo("header");
    assertThat(invalid("not json", "event-id", "header", "ce_specversion", "1.0", "ce_id", "ce").eventId())
        .isEqualTo("ce");
    assertThat(invalid("{\"eventId\":\"field\"}", "event-id", "header").eventId()).isEqualTo("field");
    assertThat(invalid("not json").eventId()).isEqualTo(COORDINATES);
  }

  // ---- robustness ----

  @Test
  void neverThrowsForArbitraryBytes() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] value = new byte[random.nextInt(64)];
      random.nextBytes(value);
      if (i % 2 == 0) {
        for (int j = 0; j < value.length; j++) {
          value[j] = (byte) "{}[]\":,@.ae1 \\u0".charAt(Math.floorMod(value[j], 16));
        }
      }
      ParsedEvent parsed = parser.parse(new InboundRecord("t", 0, i, null, value, new RecordHeaders(), 0));
      assertThat(parsed.eventId()).isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"email\":\"secret.person@example.com\",\"email\":1}",
      "{\"email\":\"secret.person@example.com\"",
      "{\"email\":\"secret.person@example.com\",\"cname\":\"-\"}",
      "{\"email\":\"secret.person@example\"}",
      "[\"secret.person@example.com\"]"})
  void neverPutsTheAddressIntoTheReason(String value) {
    assertThat(invalid(value).reason()).doesNotContain("secret").doesNotContain("@");
  }
}
