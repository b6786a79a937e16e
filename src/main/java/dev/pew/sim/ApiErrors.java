package dev.pew.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Error bodies shaped like F5 Distributed Cloud's ({@code {"code":N,"message":"...","details":[]}},
 * where {@code code} is the gRPC status the gateway maps the HTTP status from). Stateless and
 * thread-safe.
 */
final class ApiErrors {

  private ApiErrors() {}

  static JsonObject body(int httpStatus, String message) {
    return new JsonObject()
        .put("code", grpcCode(httpStatus))
        .put("message", message)
        .put("details", new JsonArray());
  }

  /** The body of an answer with {@code httpStatus}: {@code {}} for 2xx, an error object otherwise. */
  static JsonObject answerBody(int httpStatus) {
    if (httpStatus >= 200 && httpStatus < 300) {
      return new JsonObject();
    }
    return body(httpStatus, defaultMessage(httpStatus));
  }

  static int grpcCode(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> 3; // INVALID_ARGUMENT
      case 401 -> 16; // UNAUTHENTICATED
      case 403 -> 7; // PERMISSION_DENIED
      case 404 -> 5; // NOT_FOUND
      case 409 -> 6; // ALREADY_EXISTS
      case 429 -> 8; // RESOURCE_EXHAUSTED
      case 501 -> 12; // UNIMPLEMENTED
      case 502, 503 -> 14; // UNAVAILABLE
      case 504 -> 4; // DEADLINE_EXCEEDED
      default -> httpStatus >= 500 ? 13 /* INTERNAL */ : httpStatus >= 400 ? 9 /* FAILED_PRECONDITION */ : 0;
    };
  }

  static String defaultMessage(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> "invalid argument";
      case 401 -> "unauthenticated";
      case 403 -> "permission denied";
      case 404 -> "not found";
      case 409 -> "already exists";
      case 429 -> "too many requests";
      case 502 -> "bad gateway";
      case 503 -> "service unavailable";
      case 504 -> "gateway timeout";
      default -> "simulated error " + httpStatus;
    };
  }
}
