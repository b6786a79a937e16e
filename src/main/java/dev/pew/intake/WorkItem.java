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
 * partition (or, in a share group, of the record itself), when it was read and which delivery of
 * the record this is. Made by the intake, handed to the event loop once.
 *
 * <p>Immutable; the lease it holds is thread-safe.
 *
 * @param partition the record's partition, made once at intake
 * @param delivery which delivery of the record this is ({@link Delivery#UNCOUNTED} where the intake
 *     does not count deliveries)
 */
public record WorkItem(InboundRecord record, TopicPartition partition, ParsedEvent parsed, Lease lease, Instant receivedAt,
    Delivery delivery) {

  /**
   * Which delivery of its record a work item is, as a share group counts them (every acquisition of
   * the record by any member counts, the first is 1).
   *
   * @param count the delivery count; 0 when not counted (a consumer group)
   * @param last the broker will not deliver the record again after this delivery (it reached the
   *     group's {@code share.delivery.count.limit}): it must end with a result now
   */
  public record Delivery(int count, boolean last) {

    /** A consumer group does not count deliveries. */
    public static final Delivery UNCOUNTED = new Delivery(0, false);
  }

  public WorkItem(InboundRecord record, TopicPartition partition, ParsedEvent parsed, Lease lease, Instant receivedAt) {
    this(record, partition, parsed, lease, receivedAt, Delivery.UNCOUNTED);
  }

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
    LoggingEventBuilder tagged = line.addKeyValue("eventId", Redact.emailsIn(eventId()))
        .addKeyValue("topic", record.topic())
        .addKeyValue("partition", record.partition())
        .addKeyValue("offset", record.offset());
    return delivery.count() > 1 ? tagged.addKeyValue("deliveryCount", delivery.count()) : tagged;
  }

  /** For log lines: event id, source coordinates and masked address; never the whole address. */
  @Override
  public String toString() {
    String who = valid() ? " to " + Redact.email(event().email()) : "";
    return "event " + Redact.emailsIn(eventId()) + " (" + record.topic() + "-" + record.partition() + "@" + record.offset() + ")" + who;
  }
}
