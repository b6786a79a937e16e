package dev.pew.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a result record (contract: "Result record"): one per input record, on the success or
 * the failure topic. {@link #toJsonBytes()} writes exactly the contract's fields in the contract's
 * order; timestamps are ISO-8601 UTC with exactly three fraction digits, and are kept at millisecond
 * precision.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the email address, so an instance can be
 * logged.
 */
public final class ResultEvent {

  /** {@code error} of a failed event. {@code retryable} is the category's, see {@link ErrorCategory#retryable()}. */
  public record ErrorInfo(ErrorCategory category, String message, boolean retryable) {

    public ErrorInfo {
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(message, "message");
    }

    static ErrorInfo of(ErrorCategory category, String message) {
      return new ErrorInfo(category, message == null ? "" : message, category.retryable());
    }
  }

  private static final JsonFactory JSON = new ObjectMapper().getFactory();

  private final String eventId;
  private final Status status;
  private final String cname;
  private final String email;
  private final int attempts;
  private final Integer httpStatus;
  private final ErrorInfo error;
  private final Source source;
  private final Instant receivedAt;
  private final Instant completedAt;
  private final String rawValue;
  private final String rawEncoding;
  private final boolean hasRawValue;
  private final Source duplicateOf;

  ResultEvent(String eventId, Status status, String cname, String email, int attempts,
      Integer httpStatus, ErrorInfo error, Source source, Instant receivedAt, Instant completedAt,
      boolean hasRawValue, String rawValue, String rawEncoding) {
    this(eventId, status, cname, email, attempts, httpStatus, error, source, receivedAt, completedAt, hasRawValue,
        rawValue, rawEncoding, null);
  }

  ResultEvent(String eventId, Status status, String cname, String email, int attempts,
      Integer httpStatus, ErrorInfo error, Source source, Instant receivedAt, Instant completedAt,
      boolean hasRawValue, String rawValue, String rawEncoding, Source duplicateOf) {
    this.eventId = Objects.requireNonNull(eventId, "eventId");
    this.status = Objects.requireNonNull(status, "status");
    this.cname = cname;
    this.email = email;
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
    }
    this.attempts = attempts;
    this.httpStatus = httpStatus;
    if ((status == Status.FAILED) != (error != null)) {
      throw new IllegalArgumentException("a FAILED result needs an error and a SENT one must not have one");
    }
    this.error = error;
    this.source = Objects.requireNonNull(source, "source");
    this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt").truncatedTo(ChronoUnit.MILLIS);
    this.completedAt = Objects.requireNonNull(completedAt, "completedAt").truncatedTo(ChronoUnit.MILLIS);
    this.hasRawValue = hasRawValue;
    this.duplicateOf = duplicateOf;
    this.rawValue = rawValue;
    this.rawEncoding = rawEncoding;
  }

  /** The API accepted the call. */
  public static ResultEvent sent(OnboardingEvent e, int attempts, int httpStatus, Source source,
      Instant receivedAt, Instant completedAt) {
    return new ResultEvent(e.eventId(), Status.SENT, e.cname(), e.email(), attempts, httpStatus, null,
        source, receivedAt, completedAt, false, null, null);
  }

  /**
   * A redelivery of an event id sent within the window: answered without a call ({@code attempts}
   * 0, no HTTP status), {@code duplicateOf} naming the record that was sent.
   */
  public static ResultEvent duplicate(OnboardingEvent e, Source source, Source original, Instant receivedAt,
      Instant completedAt) {
    return new ResultEvent(e.eventId(), Status.SENT, e.cname(), e.email(), 0, null, null, source, receivedAt,
        completedAt, false, null, null, original);
  }

  /**
   * The event failed after {@code attempts} calls; {@code httpStatus} is the last HTTP status, or
   * null when there was none (timeout, connection error, no call). {@code message} must be short
   * and hold no secret; null becomes "".
   */
  public static ResultEvent failed(String eventId, String email, String cname, int attempts,
      Integer httpStatus, ErrorCategory category, String message, Source source, Instant receivedAt,
      Instant completedAt) {
    return new ResultEvent(eventId, Status.FAILED, cname, email, attempts, httpStatus,
        ErrorInfo.of(category, message), source, receivedAt, completedAt, false, null, null);
  }

  /**
   * The record could not be parsed or validated: {@code INVALID_EVENT}, no call made (attempts 0,
   * httpStatus null), with the original value as {@code rawValue} (base64 with
   * {@code rawEncoding: "base64"} when it is not UTF-8), cut at 64 KiB.
   */
  public static ResultEvent invalid(ParsedEvent.Invalid invalid, InboundRecord record,
      Instant receivedAt, Instant completedAt) {
    RawValue raw = RawValue.of(record.value());
    return new ResultEvent(invalid.eventId(), Status.FAILED, invalid.cname(), invalid.email(), 0, null,
        ErrorInfo.of(ErrorCategory.INVALID_EVENT, invalid.reason()), Source.of(record), receivedAt,
        completedAt, true, raw.value(), raw.encoding());
  }

  /** The same result without its raw value (for a result Kafka refused as too large). */
  public ResultEvent withoutRawValue() {
    if (!hasRawValue) {
      return this;
    }
    return new ResultEvent(eventId, status, cname, email, attempts, httpStatus,
        ErrorInfo.of(error.category(), error.message() + " (raw value left out: too large)"), source, receivedAt,
        completedAt, false, null, null);
  }

  /** The UTF-8 JSON value of the result record. */
  public byte[] toJsonBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (rawValue == null ? 0 : rawValue.length()));
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("eventId", eventId);
      json.writeStringField("status", status.name());
      json.writeStringField("cname", cname);
      json.writeStringField("email", email);
      json.writeNumberField("attempts", attempts);
      json.writeFieldName("httpStatus");
      if (httpStatus == null) {
        json.writeNull();
      } else {
        json.writeNumber(httpStatus);
      }
      json.writeFieldName("error");
      if (error == null) {
        json.writeNull();
      } else {
        json.writeStartObject();
        json.writeStringField("category", error.category().name());
        json.writeStringField("message", error.message());
        json.writeBooleanField("retryable", error.retryable());
        json.writeEndObject();
      }
      json.writeObjectFieldStart("source");
      json.writeStringField("topic", source.topic());
      json.writeNumberField("partition", source.partition());
      json.writeNumberField("offset", source.offset());
      json.writeEndObject();
      if (duplicateOf != null) {
        json.writeObjectFieldStart("duplicateOf");
        json.writeStringField("topic", duplicateOf.topic());
        json.writeNumberField("partition", duplicateOf.partition());
        json.writeNumberField("offset", duplicateOf.offset());
        json.writeEndObject();
      }
      json.writeStringField("receivedAt", IsoMillis.format(receivedAt));
      json.writeStringField("completedAt", IsoMillis.format(completedAt));
      json.writeNumberField("durationMs", durationMs());
      if (hasRawValue) {
        json.writeStringField("rawValue", rawValue);
        if (rawEncoding != null) {
          json.writeStringField("rawEncoding", rawEncoding);
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  public String eventId() {
    return eventId;
  }

  public Status status() {
    return status;
  }

  /** The tenant name, or null when the event had none. */
  public String cname() {
    return cname;
  }

  /** The address; for {@code INVALID_EVENT} the raw string from the value, or null. */
  public String email() {
    return email;
  }

  public int attempts() {
    return attempts;
  }

  /** The last HTTP status, or null when no answer was received. */
  public Integer httpStatus() {
    return httpStatus;
  }

  /** Empty exactly when the status is {@link Status#SENT}. */
  public Optional<ErrorInfo> error() {
    return Optional.ofNullable(error);
  }

  public Source source() {
    return source;
  }

  /** For a redelivery answered without a call: the record that was sent; else null. */
  public Source duplicateOf() {
    return duplicateOf;
  }

  /** When the record was received, at millisecond precision. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** When the outcome was known, at millisecond precision. */
  public Instant completedAt() {
    return completedAt;
  }

  /** {@code completedAt - receivedAt} in milliseconds; 0 if the clock went backwards. */
  public long durationMs() {
    return Math.max(0, completedAt.toEpochMilli() - receivedAt.toEpochMilli());
  }

  /** The original value (text or base64) for {@code INVALID_EVENT}, else null. */
  public String rawValue() {
    return rawValue;
  }

  /** {@code "base64"} when {@link #rawValue()} is base64, else null (text, or no raw value). */
  public String rawEncoding() {
    return rawEncoding;
  }

  /** Masks the email and leaves out the raw value: safe to log. */
  @Override
  public String toString() {
    return "ResultEvent[eventId=" + eventId + ", status=" + status + ", cname=" + cname + ", email="
        + Redact.email(email) + ", attempts=" + attempts + ", httpStatus=" + httpStatus + ", error="
        + error + ", source=" + source + ", receivedAt=" + IsoMillis.format(receivedAt)
        + ", completedAt=" + IsoMillis.format(completedAt) + ", durationMs=" + durationMs() + "]";
  }
}
