package dev.pew.dispatch;

import dev.pew.event.InboundRecord;
import dev.pew.event.OnboardingEvent;
import dev.pew.event.ParsedEvent;
import dev.pew.ops.Redact;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One input record on its way through the worker: the record, its parsed event, the lease of its
 * partition and the state of its calls.
 *
 * <p>Created on the intake thread and handed to the event loop once; from then on confined to the
 * event loop (no field is touched from two threads at once).
 */
public final class WorkItem {

  private final InboundRecord record;
  private final TopicPartition partition;
  private final ParsedEvent parsed;
  private final Lease lease;
  private final Instant receivedAt;

  /** Calls made for this item, all of them. */
  int calls;
  /** Calls that count against MAX_ATTEMPTS (not those refunded while holding or throttled). */
  int charged;
  Integer lastHttpStatus;
  String lastError;
  long retryTimer = -1;

  public WorkItem(InboundRecord record, ParsedEvent parsed, Lease lease, Instant receivedAt) {
    this.record = record;
    this.partition = new TopicPartition(record.topic(), record.partition());
    this.parsed = parsed;
    this.lease = lease;
    this.receivedAt = receivedAt;
  }

  public InboundRecord record() {
    return record;
  }

  public TopicPartition partition() {
    return partition;
  }

  public long offset() {
    return record.offset();
  }

  public ParsedEvent parsed() {
    return parsed;
  }

  public boolean valid() {
    return parsed instanceof ParsedEvent.Valid;
  }

  /** The event to send; only for valid items. */
  public OnboardingEvent event() {
    return ((ParsedEvent.Valid) parsed).event();
  }

  public String eventId() {
    return parsed.eventId();
  }

  public Lease lease() {
    return lease;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  /** Calls made for this item so far, all of them: the result event's {@code attempts}. */
  public int attempts() {
    return calls;
  }

  public Integer lastHttpStatus() {
    return lastHttpStatus;
  }

  public String lastError() {
    return lastError;
  }

  /**
   * Adds this item's event id and source coordinates to a log line as key-value pairs, so JSON logs
   * ({@code LOG_FORMAT=json}) carry them as fields: {@code LOG.atWarn().log(...)} becomes
   * {@code item.tag(LOG.atWarn()).log(...)}.
   */
  public LoggingEventBuilder tag(LoggingEventBuilder line) {
    return line.addKeyValue("eventId", Redact.emailsIn(eventId()))
        .addKeyValue("topic", record.topic())
        .addKeyValue("partition", record.partition())
        .addKeyValue("offset", record.offset());
  }

  /** For log lines: event id, source coordinates and masked address; never the whole address. */
  @Override
  public String toString() {
    String who = valid() ? " to " + Redact.email(event().email()) : "";
    return "event " + Redact.emailsIn(eventId()) + " (" + record.topic() + "-" + record.partition() + "@" + record.offset() + ")" + who;
  }
}
