package dev.pew.xc.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pew.event.OnboardingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesCnameThenEmail() {
    assertThat(RequestBody.of(new OnboardingEvent("e1", "a@example.com", "acme")).toString())
        .isEqualTo("{\"cname\":\"acme\",\"email\":\"a@example.com\"}");
  }

  @Test
  void leavesOutAMissingCname() {
    assertThat(RequestBody.of(new OnboardingEvent("e1", "a@example.com", null)).toString())
        .isEqualTo("{\"email\":\"a@example.com\"}");
  }

  @Test
  void escapesWhatJsonNeedsEscapedAndKeepsUnicode() throws Exception {
    String email = "q\"uo\\te\u0001\u00e9\u4e2d@example.com";
    byte[] body = RequestBody.of(new OnboardingEvent("e1", email, "t\n1")).getBytes();
    assertThat(JSON.readValue(body, Map.class)).isEqualTo(Map.of("cname", "t\n1", "email", email));
  }
}
