package dev.pew.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ResultHeadersTest {

  private static List<String> pairs(Headers headers) {
    List<String> out = new ArrayList<>();
    for (Header header : headers) {
      out.add(header.key() + "=" + (header.value() == null ? "null" : new String(header.value(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static InboundRecord input() {
    InboundRecord record = Records.json("{}", "traceparent", "00-abc-def-01", "event-id", "old",
        "x-correlation-id", "c-1", "event-id", "older", "ce_id", "input-ce");
    record.headers().add("binary", new byte[] {(byte) 0xFF, 0});
    record.headers().add("empty", null);
    return record;
  }

  @Test
  void copiesInputHeadersAndReplacesEventId() {
    Headers headers = ResultHeaders.forResult(input(), "signup-8812", Map.of());

    assertThat(pairs(headers)).containsExactly("traceparent=00-abc-def-01", "x-correlation-id=c-1",
        "ce_id=input-ce", "binary=" + new String(new byte[] {(byte) 0xFF, 0}, StandardCharsets.UTF_8),
        "empty=null", "event-id=signup-8812");
    assertThat(headers.lastHeader("binary").value()).containsExactly(0xFF, 0);
    assertThat(headers).isInstanceOf(RecordHeaders.class);
  }

  @Test
  void addsForwardHeadersReplacingSameNamedInputHeaders() {
    Map<String, String> forward = new LinkedHashMap<>();
    forward.put("ce_id", "ce-1");
    forward.put("ce_source", "/signup");
    forward.put("event-id", "ignored: the event id wins");

    Headers headers = ResultHeaders.forResult(input(), "signup-8812", forward);

    assertThat(pairs(headers)).containsSubsequence("traceparent=00-abc-def-01", "event-id=signup-8812",
        "ce_id=ce-1", "ce_source=/signup");
    assertThat(headers.headers("ce_id")).hasSize(1);
    assertThat(headers.headers("event-id")).hasSize(1);
  }

  @Test
  void sharesNoBytesWithTheInputAndStaysWritable() {
    InboundRecord in = input();
    Headers headers = ResultHeaders.forResult(in, "e", null);

    headers.lastHeader("traceparent").value()[0] = 'X';
    headers.add("more", new byte[0]);

    assertThat(new String(in.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
        .isEqualTo("00-abc-def-01");
    assertThat(in.headers().lastHeader("more")).isNull();
  }

  @Test
  void copiesInputHeadersAndAddsErrorAndSourceForDeadLetter() {
    InboundRecord in = Records.json("{}", "traceparent", "t", "error-category", "OLD", "source-offset", "1");

    Headers headers = ResultHeaders.forDeadLetter(in, ErrorCategory.REJECTED, "HTTP 400");

    assertThat(pairs(headers)).containsExactly("traceparent=t", "error-category=REJECTED",
        "error-message=HTTP 400", "source-topic=onboarding-events", "source-partition=3", "source-offset=1042");
  }

  @Test
  void keepsEventIdHeaderOfDeadLetterAsReceived() {
    Headers headers = ResultHeaders.forDeadLetter(input(), ErrorCategory.INVALID_EVENT, "value is not a JSON object");

    assertThat(headers.headers("event-id")).hasSize(2);
    assertThat(new String(headers.lastHeader("error-message").value(), StandardCharsets.UTF_8))
        .isEqualTo("value is not a JSON object");
  }
}
