package dev.pew.event;

/** The {@code status} of a result event; the names are part of the external contract. */
public enum Status {
  /** The API accepted the call (2xx); the event went to the success topic. */
  SENT,
  /** The event went to the failure topic; {@code error} says why. */
  FAILED
}
