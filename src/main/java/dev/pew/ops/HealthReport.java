package dev.pew.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One answer of {@code /health/live} or {@code /health/ready}: each check with its status and data
 * (among them how long ago its result was taken, {@code checkedAgoMs}). UP when every check is up.
 * The JSON keeps the shape the endpoints always had ({@code {"status", "checks": [{"id", "status",
 * "data"}], "outcome"}}). Immutable (the data objects are copied in and out) and thread-safe.
 */
public record HealthReport(List<Check> checks) {

  /** One check: {@code id}, up or down, and what it found. */
  public record Check(String id, boolean up, JsonObject data) {
    public Check {
      data = data == null ? new JsonObject() : data.copy();
    }

    @Override
    public JsonObject data() {
      return data.copy();
    }
  }

  public HealthReport {
    checks = List.copyOf(checks);
  }

  /** Every check is up. */
  public boolean up() {
    return checks.stream().allMatch(Check::up);
  }

  /** The check named {@code id}, or null. */
  public Check check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (Check c : checks) {
      list.add(new JsonObject().put("id", c.id()).put("status", status(c.up())).put("data", c.data()));
    }
    String status = status(up());
    return new JsonObject().put("status", status).put("checks", list).put("outcome", status);
  }

  private static String status(boolean up) {
    return up ? "UP" : "DOWN";
  }
}
