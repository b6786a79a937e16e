package dev.pew.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link EventParser} made of one input record: either a {@link Valid} event ready to be sent
 * or an {@link Invalid} one that goes straight to the failure topic as {@code INVALID_EVENT}.
 * Both always carry an event id. Immutable and thread-safe.
 */
public sealed interface ParsedEvent permits ParsedEvent.Valid, ParsedEvent.Invalid {

  /** The event id chosen by the precedence rule; never null. */
  String eventId();

  /**
   * A record that passed every rule.
   *
   * @param event the validated values
   * @param forwardHeaders headers the result records must carry in addition to the input headers
   *     (for a structured-mode CloudEvent its attributes as {@code ce_*} headers), in a stable
   *     order; empty for plain events and binary-mode CloudEvents, whose headers flow on anyway
   */
  record Valid(OnboardingEvent event, Map<String, String> forwardHeaders) implements ParsedEvent {

    public Valid {
      Objects.requireNonNull(event, "event");
      forwardHeaders = forwardHeaders == null
          ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(forwardHeaders));
    }

    /** A plain event: nothing extra to forward. */
    public Valid(OnboardingEvent event) {
      this(event, Map.of());
    }

    @Override
    public String eventId() {
      return event.eventId();
    }
  }

  /**
   * A record that cannot be sent.
   *
   * @param eventId the best event id that could be read (at worst the record's coordinates)
   * @param reason short and fixed wording; it never quotes the value, so it holds no email
   * @param email the raw {@code email} string of the value when there was one, else null
   * @param cname the raw {@code cname} string of the value when there was one, else null
   */
  record Invalid(String eventId, String reason, String email, String cname) implements ParsedEvent {

    public Invalid {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
