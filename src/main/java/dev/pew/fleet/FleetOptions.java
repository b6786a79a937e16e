package dev.pew.fleet;

/**
 * Settings of the {@link Fleet}. Immutable.
 *
 * @param group the consumer group: the fleet's name on the control topic
 * @param instance this member's id
 * @param groupScope whether the rate limit is the whole group's ({@code RATE_LIMIT_SCOPE=group})
 * @param heartbeatMs how often each member tells the others its state
 * @param expiryMs a member not heard from this long is gone (crashed): its share returns to the others
 * @param increaseDelayMs a share grows only after this long (it shrinks at once), so the others have
 *     shrunk theirs first and the group's sum never passes the limit while shares move
 */
public record FleetOptions(String group, String instance, boolean groupScope, long heartbeatMs, long expiryMs,
    long increaseDelayMs) {

  public static FleetOptions of(String group, String instance, boolean groupScope) {
    return new FleetOptions(group, instance, groupScope, 500, 3000, 1200);
  }
}
