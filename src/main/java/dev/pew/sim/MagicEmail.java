package dev.pew.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code +tags} in an email's local part ask of the simulator, so sample events can fail
 * on purpose without configuring rules. Tags, several allowed ({@code jane+slow250+503x2@x.io}):
 * <ul>
 *   <li>{@code +404} (any status 200..599): always answer it;
 *   <li>{@code +503x2}: answer it for the first 2 calls of that email, then normally;
 *   <li>{@code +hang}: never answer;
 *   <li>{@code +slow250}: 250 ms extra latency.
 * </ul>
 * A 429 tag also sends {@code Retry-After: 1}. Unknown tags are ignored. Immutable.
 *
 * @param status the status to answer, 0 when none
 * @param times how many calls get {@code status}, -1 for all
 * @param hang whether the call is never answered
 * @param extraLatencyMs latency added to the answer
 */
record MagicEmail(int status, int times, boolean hang, long extraLatencyMs) {

  static final MagicEmail NONE = new MagicEmail(0, 0, false, 0);

  private static final Pattern STATUS_TAG = Pattern.compile("([2-5]\\d\\d)(?:x(\\d{1,9}))?");
  private static final Pattern SLOW_TAG = Pattern.compile("slow(\\d{1,7})");

  static MagicEmail of(String email) {
    if (email == null) {
      return NONE;
    }
    int at = email.lastIndexOf('@');
    String local = at < 0 ? email : email.substring(0, at);
    String[] parts = local.split("\\+");
    int status = 0;
    int times = 0;
    boolean hang = false;
    long extraLatencyMs = 0;
    for (int i = 1; i < parts.length; i++) {
      String tag = parts[i].toLowerCase(java.util.Locale.ROOT);
      Matcher statusTag = STATUS_TAG.matcher(tag);
      Matcher slowTag = SLOW_TAG.matcher(tag);
      if (tag.equals("hang")) {
        hang = true;
      } else if (slowTag.matches()) {
        extraLatencyMs += Long.parseLong(slowTag.group(1));
      } else if (statusTag.matches()) {
        status = Integer.parseInt(statusTag.group(1));
        times = statusTag.group(2) == null ? -1 : Integer.parseInt(statusTag.group(2));
      }
    }
    return new MagicEmail(status, times, hang, extraLatencyMs);
  }

  /** The status for the {@code callNumber}-th call (1-based) of this email, 0 for "answer normally". */
  int statusForCall(long callNumber) {
    if (status == 0) {
      return 0;
    }
    return times < 0 || callNumber <= times ? status : 0;
  }
}
