package dev.pew.intake.share;

import java.time.Duration;

/**
 * Settings of a {@link ShareIntake} beyond {@link dev.pew.intake.IntakeOptions}. Immutable.
 *
 * @param group the share group ({@code KAFKA_GROUP_ID})
 * @param lanes share consumers of this instance (each holds one batch of at most {@code maxBuffered /
 *     lanes} records at a time, see {@link ShareLane})
 * @param clientIdPrefix lane {@code i}'s consumer is {@code <prefix>-share-<i>}: how the intake finds
 *     its own members in the group
 * @param keepAlive longest a lane goes without polling while it holds nothing and wants nothing
 *     (well under the consumer's {@code max.poll.interval.ms}, or it leaves the group)
 */
public record ShareIntakeOptions(String group, int lanes, String clientIdPrefix, Duration keepAlive) {

  public ShareIntakeOptions {
    if (lanes < 1) {
      throw new IllegalArgumentException("lanes must be positive");
    }
  }

  /** The client id of lane {@code i}. */
  public String clientId(int lane) {
    return clientIdPrefix + "-share-" + lane;
  }

  /** At most 4 lanes, and at least one record per lane. */
  public static int lanesFor(int maxBuffered) {
    return Math.max(1, Math.min(4, maxBuffered));
  }

  /** Records one poll of a lane may acquire: {@code maxBuffered} split over the lanes (rounded up). */
  public static int recordsPerLane(int maxBuffered, int lanes) {
    return Math.max(1, (maxBuffered + lanes - 1) / lanes);
  }
}
