package dev.pew.event;

/**
 * Internal signal that a value breaks a rule; carries the short reason that ends up in
 * {@code error.message}. Never leaves this package.
 */
final class InvalidValueException extends Exception {

  InvalidValueException(String reason) {
    // No stack trace: this is control flow for bad input, which can arrive at full consumer speed.
    super(reason, null, false, false);
  }

  String reason() {
    return getMessage();
  }
}
