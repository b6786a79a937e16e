package dev.pew.event;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The contract's rules for the fields of an input value ({@code email}, {@code cname},
 * {@code eventId}). Each check returns the reason a value breaks its rule, or null when it is fine;
 * reasons never quote the value. Stateless and thread-safe.
 */
final class FieldRules {

  static final int MAX_EMAIL = 254;
  static final int MAX_EMAIL_LOCAL_PART = 64;
  static final int MAX_CNAME = 253;
  static final int MAX_EVENT_ID = 200;
  private static final int MAX_LABEL = 63;

  private FieldRules() {}

  /** {@code eventId}: optional; when present a string of 1..200 characters. */
  static String eventIdProblem(JsonNode node) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isTextual()) {
      return "eventId is not a string";
    }
    return idProblem("eventId", node.textValue());
  }

  /** Shared by the {@code eventId} field and CloudEvents ids: both become the result's event id. */
  static String idProblem(String what, String id) {
    if (id.isEmpty()) {
      return what + " is empty";
    }
    if (length(id) > MAX_EVENT_ID) {
      return what + " is longer than " + MAX_EVENT_ID + " characters";
    }
    if (!Utf8.isWellFormed(id)) {
      // It goes into the event-id header as UTF-8, which cannot carry a lone surrogate unchanged.
      return what + " is not well-formed Unicode";
    }
    return null;
  }

  /** {@code email}: required string, at most 254 characters, a plausible address. */
  static String emailProblem(JsonNode node) {
    if (isAbsent(node)) {
      return "email is missing";
    }
    if (!node.isTextual()) {
      return "email is not a string";
    }
    String email = node.textValue();
    if (length(email) > MAX_EMAIL) {
      return "email is longer than " + MAX_EMAIL + " characters";
    }
    return isPlausibleEmail(email) ? null : "email is not a plausible address";
  }

  /** {@code cname}: optional (missing or null); when present a DNS-style name of at most 253 characters. */
  static String cnameProblem(JsonNode node) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isTextual()) {
      return "cname is not a string";
    }
    String cname = node.textValue();
    if (length(cname) > MAX_CNAME) {
      return "cname is longer than " + MAX_CNAME + " characters";
    }
    return isDnsName(cname) ? null : "cname is not a DNS-style name";
  }

  /**
   * Plausible, not RFC 5322-complete: one {@code '@'}, a local part of 1..64 characters without
   * whitespace or control characters, and a DNS-like domain with at least two labels whose last
   * (the TLD) is letters only, at least two, or an IDN TLD in its {@code xn--} form.
   */
  static boolean isPlausibleEmail(String email) {
    int at = email.indexOf('@');
    if (at < 0 || email.indexOf('@', at + 1) >= 0) {
      return false;
    }
    String local = email.substring(0, at);
    if (local.isEmpty() || length(local) > MAX_EMAIL_LOCAL_PART || !isPrintableWithoutSpace(local)) {
      return false;
    }
    String domain = email.substring(at + 1);
    if (!isDnsName(domain)) {
      return false;
    }
    int lastDot = domain.lastIndexOf('.');
    if (lastDot < 0) {
      return false;
    }
    String tld = domain.substring(lastDot + 1);
    return tld.startsWith("xn--") || (tld.length() >= 2 && tld.chars().allMatch(FieldRules::isAsciiLetter));
  }

  /** Labels of {@code [A-Za-z0-9-]}, 1..63 long, not starting or ending with '-', joined by dots. */
  static boolean isDnsName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    int labelStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      if (i == name.length() || name.charAt(i) == '.') {
        if (!isDnsLabel(name, labelStart, i)) {
          return false;
        }
        labelStart = i + 1;
      }
    }
    return true;
  }

  private static boolean isDnsLabel(String name, int from, int to) {
    int length = to - from;
    if (length < 1 || length > MAX_LABEL || name.charAt(from) == '-' || name.charAt(to - 1) == '-') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = name.charAt(i);
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintableWithoutSpace(String s) {
    return Utf8.isWellFormed(s)
        && s.codePoints().noneMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp)
            || Character.isISOControl(cp));
  }

  private static boolean isAsciiLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Characters as a reader counts them: code points, so an emoji is one, not two. */
  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }
}
