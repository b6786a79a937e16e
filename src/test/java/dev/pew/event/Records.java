package dev.pew.event;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds input records for tests. */
final class Records {

  static final String TOPIC = "onboarding-events";
  static final int PARTITION = 3;
  static final long OFFSET = 1042;
  static final String COORDINATES = TOPIC + "-" + PARTITION + "-" + OFFSET;

  private Records() {}

  static InboundRecord json(String value, String... headerPairs) {
    return bytes(value.getBytes(StandardCharsets.UTF_8), headerPairs);
  }

  static InboundRecord bytes(byte[] value, String... headerPairs) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1] == null ? null : headerPairs[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new InboundRecord(TOPIC, PARTITION, OFFSET, "key".getBytes(StandardCharsets.UTF_8), value, headers, 0L);
  }
}
