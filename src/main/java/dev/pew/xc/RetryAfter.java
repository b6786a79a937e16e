package dev.pew.xc;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses an HTTP {@code Retry-After} value (RFC 9110 section 10.2.3) into a wait in milliseconds:
 * either delta-seconds ({@code "120"}) or an HTTP-date in any of the three forms a recipient must
 * accept (RFC 9110 section 5.6.7): IMF-fixdate ({@code "Wed, 21 Oct 2015 07:28:00 GMT"}), the
 * obsolete RFC 850 form ({@code "Wednesday, 21-Oct-15 07:28:00 GMT"}) and asctime ({@code "Wed Oct
 * 21 07:28:00 2015"}).
 *
 * <p>Stateless and thread-safe.
 */
public final class RetryAfter {

  /**
   * RFC 9110 section 5.6.7's "greatest integer it can represent" option, per section 1.2.2: a
   * larger delta is taken as this many seconds (68 years) instead of overflowing.
   */
  static final long MAX_DELTA_SECONDS = 1L << 31;

  private static final Pattern DELTA_SECONDS = Pattern.compile("[0-9]+");
  // The day name is matched but not checked against the date: a server that gets it wrong still
  // means the date it wrote, and refusing to wait would only make it more likely to be hammered.
  private static final Pattern IMF_FIXDATE =
      Pattern.compile(
          "(?:[A-Za-z]{3}, )?([0-9]{1,2}) ([A-Za-z]{3}) ([0-9]{4}) "
              + "([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern RFC_850 =
      Pattern.compile(
          "[A-Za-z]+, ([0-9]{2})-([A-Za-z]{3})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ASCTIME =
      Pattern.compile(
          "[A-Za-z]{3} ([A-Za-z]{3}) ([ 0-9][0-9]) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([0-9]{4})");
  private static final String MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec";

  private RetryAfter() {}

  /**
   * The wait the header asks for, measured from {@code clock}'s now.
   *
   * @return delta-seconds times 1000; or for a date, the milliseconds from now until it, 0 when it
   *     is not in the future; empty for null, blank or anything else, including negative or
   *     fractional seconds (which the RFC does not allow)
   */
  public static OptionalLong millis(String headerValue, Clock clock) {
    if (headerValue == null) {
      return OptionalLong.empty();
    }
    String value = headerValue.strip();
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    if (DELTA_SECONDS.matcher(value).matches()) {
      return OptionalLong.of(deltaSeconds(value) * 1000);
    }
    LocalDateTime date = parseHttpDate(value, clock);
    if (date == null) {
      return OptionalLong.empty();
    }
    long dateMillis = date.toInstant(ZoneOffset.UTC).toEpochMilli();
    return OptionalLong.of(Math.max(0, dateMillis - clock.millis()));
  }

  private static long deltaSeconds(String digits) {
    // Anything longer than 10 digits is beyond the cap anyway; this also avoids Long overflow.
    if (digits.length() > 10) {
      return MAX_DELTA_SECONDS;
    }
    return Math.min(Long.parseLong(digits), MAX_DELTA_SECONDS);
  }

  /** Null when the value is no HTTP-date or names a day that does not exist. */
  private static LocalDateTime parseHttpDate(String value, Clock clock) {
    try {
      Matcher m = IMF_FIXDATE.matcher(value);
      if (m.matches()) {
        return dateTime(m.group(3), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6));
      }
      m = RFC_850.matcher(value);
      if (m.matches()) {
        int year = fullYear(Integer.parseInt(m.group(3)), clock);
        return dateTime(
            Integer.toString(year), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6));
      }
      m = ASCTIME.matcher(value);
      if (m.matches()) {
        return dateTime(
            m.group(6), m.group(1), m.group(2).strip(), m.group(3), m.group(4), m.group(5));
      }
      return null;
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static LocalDateTime dateTime(
      String year, String monthName, String day, String hour, String minute, String second) {
    int month = MONTHS.indexOf(monthName.toLowerCase(Locale.ROOT));
    if (month < 0 || month % 4 != 0) {
      return null;
    }
    int sec = Integer.parseInt(second);
    // The grammar allows a leap second (":60"), which LocalDateTime does not; it is the same
    // instant as the next minute's ":00".
    int extraSecond = sec == 60 ? 1 : 0;
    return LocalDateTime.of(
            Integer.parseInt(year),
            month / 4 + 1,
            Integer.parseInt(day),
            Integer.parseInt(hour),
            Integer.parseInt(minute),
            sec - extraSecond)
        .plusSeconds(extraSecond);
  }

  /**
   * RFC 9110 section 5.6.7: a two-digit year that would be more than 50 years in the future is the
   * most recent past year with those digits.
   */
  private static int fullYear(int twoDigits, Clock clock) {
    int currentYear = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).getYear();
    int year = currentYear - Math.floorMod(currentYear, 100) + twoDigits;
    if (year > currentYear + 50) {
      year -= 100;
    }
    return year;
  }
}
