package dev.pew.xc.impl;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.pew.event.OnboardingEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of a {@code send_password_email} call, {@code {"cname":"...","email":"..."}} (cname
 * left out when the event has none), written straight to bytes: no JSON tree per call. Strings are
 * escaped by Jackson's encoder, so any character is safe. Stateless and thread-safe.
 */
final class RequestBody {

  private RequestBody() {}

  static Buffer of(OnboardingEvent event) {
    StringBuilder json = new StringBuilder(64);
    json.append('{');
    if (event.cname() != null) {
      json.append("\"cname\":\"");
      JsonStringEncoder.getInstance().quoteAsString(event.cname(), json);
      json.append("\",");
    }
    json.append("\"email\":\"");
    JsonStringEncoder.getInstance().quoteAsString(event.email(), json);
    json.append("\"}");
    return Buffer.buffer(json.toString().getBytes(StandardCharsets.UTF_8));
  }
}
