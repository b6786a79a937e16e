package dev.pew.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One record of the control topic: what a member of the fleet tells the others. A heartbeat
 * ({@code hb}) carries the member's whole state (demand, hold, pause), so a member that joins or
 * missed a signal catches up from the next heartbeats; {@code pause}, {@code hold}, {@code
 * release} and {@code leave} are the same news, sooner. JSON, with the consumer group id so that
 * fleets sharing a control topic ignore each other. Immutable and thread-safe.
 *
 * @param type hb, pause, hold, release or leave
 * @param demand items that want a call (queued, waiting for a retry, in flight); hb only
 * @param hold the hold reason ({@code OUTAGE}, {@code CREDENTIALS}) or null; hb and hold
 * @param pausedUntil epoch millis until which calls wait (0: none); hb and pause
 */
public record ControlMessage(String type, String group, String instance, long at, int demand, String hold,
    String cause, long pausedUntil) {

  public static final String HEARTBEAT = "hb";
  public static final String PAUSE = "pause";
  public static final String HOLD = "hold";
  public static final String RELEASE = "release";
  public static final String LEAVE = "leave";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  byte[] encode() {
    ObjectNode n = JSON.createObjectNode().put("v", VERSION).put("type", type).put("group", group)
        .put("instance", instance).put("at", at).put("demand", demand).put("pausedUntil", pausedUntil);
    n.put("hold", hold).put("cause", cause);
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The message in {@code value}, or empty when it is no control message of this version. */
  static Optional<ControlMessage> decode(byte[] value) {
    if (value == null || value.length == 0 || value.length > 4096) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(new String(value, StandardCharsets.UTF_8));
      if (n == null || !n.isObject() || n.path("v").asInt() != VERSION || !n.path("type").isTextual()
          || !n.path("group").isTextual() || !n.path("instance").isTextual() || !n.path("at").isIntegralNumber()) {
        return Optional.empty();
      }
      String type = n.get("type").textValue();
      if (!java.util.Set.of(HEARTBEAT, PAUSE, HOLD, RELEASE, LEAVE).contains(type)) {
        return Optional.empty();
      }
      return Optional.of(new ControlMessage(type, n.get("group").textValue(), n.get("instance").textValue(),
          n.get("at").longValue(), n.path("demand").asInt(), n.path("hold").isTextual() ? n.get("hold").textValue() : null,
          n.path("cause").isTextual() ? n.get("cause").textValue() : null, n.path("pausedUntil").asLong()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
