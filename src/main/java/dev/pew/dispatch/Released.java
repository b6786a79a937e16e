package dev.pew.dispatch;

/**
 * The failure of a submitted item's future when its lease ended before it had a final verdict
 * (partition revoked or lost, shutdown): no result, no commit; the next owner processes it. Carries
 * no stack trace; one shared instance.
 */
public final class Released extends RuntimeException {

  static final Released INSTANCE = new Released();

  private Released() {
    super("released: its lease ended before a final verdict", null, false, false);
  }
}
