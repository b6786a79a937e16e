package dev.pew.intake;

import dev.pew.event.InboundRecord;
import dev.pew.event.OnboardingEvent;
import dev.pew.event.ParsedEvent;
import dev.pew.event.Redact;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One input record on its way through the worker: the record, its parsed event, the lease of its
 * partition and when it was read. Made by the intake, handed to the event loop once.
 *
 * <p>Immutable; the lease it holds is thread-safe.
 *
 * @param partition the record's partition, made once at intake
 */
public record WorkItem(InboundRecord record, TopicPartition partition, ParsedEvent parsed, Lease lease, Instant receivedAt) {

  public WorkItem(InboundRecord record, ParsedEvent parsed, Lease lease, Instant receivedAt) {
    this(record, new TopicPartition(record.topic(), record.partition()), parsed, lease, receivedAt);
  }

  public long offset() {
    return record.offset();
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

  /**
   * Adds this item's event id and source coordinates to a log line as key-value pairs, so JSON logs
   * ({@code LOG_FORMAT=json}) carry them as fields: {@code item.tag(LOG.atWarn()).log(...)}.
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
