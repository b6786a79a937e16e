package dev.pew.event;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets before they reach a log line or a message. Stateless and
 * thread-safe.
 */
public final class Redact {

  private static final String MASK = "***";
  /** Longest domain kept in a masked address, so a hostile value cannot flood a log line. */
  private static final int MAX_DOMAIN_CODE_POINTS = 64;
  private static final String ELLIPSIS = "...";

  private Redact() {}

  /**
   * {@code "hello@example.com"} becomes {@code "h***@example.com"}: the first character of the
   * local part and the domain stay so operators can still tell addresses apart; the rest is masked.
   * Never returns the whole address: a one-character local part is masked entirely
   * ({@code "***@example.com"}). {@code null} gives {@code "null"}; no {@code '@'} or an empty local
   * part gives {@code "***"}. Control characters are replaced and a long domain is shortened so the
   * result is always one short line.
   */
  public static String email(String email) {
    if (email == null) {
      return "null";
    }
    int at = email.lastIndexOf('@');
    if (at <= 0) {
      return MASK;
    }
    String local = email.substring(0, at);
    int first = local.codePointAt(0);
    boolean showFirst = local.codePointCount(0, local.length()) > 1 && isPrintable(first)
        && !Character.isWhitespace(first);
    String shownLocal = showFirst ? new String(Character.toChars(first)) + MASK : MASK;
    return shownLocal + "@" + printableDomain(email.substring(at + 1));
  }

  /**
   * Masks every address-shaped part of free text (an event id chosen by an upstream system may be
   * the customer's address): {@code "signup-jane@example.com"} becomes {@code "s***@example.com"}.
   * Text without an {@code '@'} comes back unchanged; {@code null} gives {@code "null"}.
   */
  public static String emailsIn(String text) {
    if (text == null) {
      return "null";
    }
    if (text.indexOf('@') < 0) {
      return text;
    }
    return ADDRESS_LIKE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(email(m.group())));
  }

  /** A run of address characters around an '@' (quotes, brackets and separators end it). */
  private static final Pattern ADDRESS_LIKE = Pattern.compile("[^\\s@\"',;<>()\\[\\]]*@[^\\s@\"',;<>()\\[\\]]*");

  /** {@code "***"} for any secret, {@code "(unset)"} for null: says whether it is set, nothing more. */
  public static String secret(String s) {
    return s == null ? "(unset)" : MASK;
  }

  private static String printableDomain(String domain) {
    int codePoints = domain.codePointCount(0, domain.length());
    int keep = codePoints <= MAX_DOMAIN_CODE_POINTS ? codePoints : MAX_DOMAIN_CODE_POINTS - ELLIPSIS.length();
    StringBuilder out = new StringBuilder();
    domain.codePoints().limit(keep).forEach(cp -> out.appendCodePoint(isPrintable(cp) ? cp : '?'));
    return keep < codePoints ? out.append(ELLIPSIS).toString() : out.toString();
  }

  private static boolean isPrintable(int cp) {
    int type = Character.getType(cp);
    return type != Character.CONTROL && type != Character.SURROGATE && type != Character.FORMAT
        && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
  }
}
