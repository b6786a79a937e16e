package dev.pew.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The body of one {@code send_password_email} call, checked the way the real API checks it:
 * JSON content type, a JSON object, a string {@code email} with a local part and a domain, and
 * {@code cname} absent, null or a string. Immutable.
 *
 * @param email the email, null when {@code problem} is set and the email could not be read
 * @param cname the cname, null when absent
 * @param problem why the call is a 400, null when it is valid
 */
record CallRequest(String email, String cname, String problem) {

  boolean valid() {
    return problem == null;
  }

  static CallRequest parse(String contentType, Buffer body) {
    if (!isJson(contentType)) {
      return invalid("Content-Type must be application/json");
    }
    if (body == null || body.length() == 0) {
      return invalid("request body is empty");
    }
    Object decoded;
    try {
      decoded = Json.decodeValue(body);
    } catch (DecodeException e) {
      return invalid("request body is not valid JSON");
    }
    if (!(decoded instanceof JsonObject json)) {
      return invalid("request body must be a JSON object");
    }
    Object email = json.getValue("email");
    Object cname = json.getValue("cname");
    if (!(email instanceof String emailText)) {
      return invalid(email == null ? "email is required" : "email must be a string");
    }
    if (cname != null && !(cname instanceof String)) {
      return new CallRequest(emailText, null, "cname must be a string");
    }
    int at = emailText.lastIndexOf('@');
    if (at <= 0 || at == emailText.length() - 1) {
      return new CallRequest(emailText, (String) cname, "email is not a valid address");
    }
    return new CallRequest(emailText, (String) cname, null);
  }

  private static CallRequest invalid(String problem) {
    return new CallRequest(null, null, problem);
  }

  /** {@code application/json}, any case, parameters such as {@code charset} allowed. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.trim().equalsIgnoreCase("application/json");
  }
}
