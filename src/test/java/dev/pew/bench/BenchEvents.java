package dev.pew.bench;

import java.nio.charset.StandardCharsets;

/**
 * The synthetic onboarding events of a benchmark run. Event {@code i} has the key (and email)
 * {@code u<i>@bench.example}; results keep the input key (the contract says so), which lets the
 * collector find the event a result belongs to without parsing its JSON. Values have the size of a
 * typical event (an event id, a tenant name and the email). Stateless.
 */
final class BenchEvents {

  private static final String DOMAIN = "@bench.example";

  private BenchEvents() {}

  static String email(int index) {
    return "u" + index + DOMAIN;
  }

  static byte[] key(int index) {
    return email(index).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] value(int index) {
    return ("{\"eventId\":\"signup-" + index + "\",\"cname\":\"tenant-" + (index % 97) + "\",\"email\":\""
        + email(index) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** The event index a key or email names, -1 when it is not one of ours. */
  static int indexOf(byte[] key) {
    if (key == null || key.length < 2 || key[0] != 'u') {
      return -1;
    }
    int value = 0;
    for (int i = 1; i < key.length; i++) {
      byte b = key[i];
      if (b == '@') {
        return i > 1 ? value : -1;
      }
      if (b < '0' || b > '9' || value > (Integer.MAX_VALUE - 9) / 10) {
        return -1;
      }
      value = value * 10 + (b - '0');
    }
    return -1;
  }

  static int indexOf(String email) {
    return indexOf(email.getBytes(StandardCharsets.UTF_8));
  }
}
