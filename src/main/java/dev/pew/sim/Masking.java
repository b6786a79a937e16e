package dev.pew.sim;

/** Log-safe renderings of personal data. Stateless and thread-safe. */
final class Masking {

  private Masking() {}

  /** {@code hello@example.com} becomes {@code h***@example.com}; anything else becomes {@code ***}. */
  static String email(String email) {
    if (email == null) {
      return "null";
    }
    int at = email.lastIndexOf('@');
    if (at <= 0) {
      return "***";
    }
    return email.charAt(0) + "***" + email.substring(at);
  }
}
