package dev.pew.event;

import java.util.Objects;

/**
 * A validated onboarding event: what the worker sends to {@code send_password_email}.
 *
 * <p>Instances made by {@link EventParser} hold values that passed the contract's rules; the
 * constructor itself only rejects nulls so tests and tools can build events freely. Immutable and
 * thread-safe.
 *
 * @param eventId the event id chosen by the precedence rule (never null)
 * @param email the address, exactly as received (never null)
 * @param cname the tenant's DNS-style name, or null when the event has none
 */
public record OnboardingEvent(String eventId, String email, String cname) {

  public OnboardingEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(email, "email");
  }
}
