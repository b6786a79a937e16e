package dev.pew.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A missing tool skips a test with the reason, and fails it when PEW_REQUIRE_TOOLS=1 (as CI sets). */
class ExternalToolTest {

  @Test
  void aMissingToolSkipsWithTheReason() {
    assertThatThrownBy(() -> ExternalTool.require("promtool", "the rule tests", Map.of("PATH", "/nonexistent")))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("promtool is not on the PATH")
        .hasMessageContaining("apt-get install --no-install-recommends prometheus");
  }

  @Test
  void aMissingToolFailsWhenToolsAreRequired() {
    assertThatThrownBy(() -> ExternalTool.require("node", "the manifest validator",
        Map.of("PATH", "/nonexistent", ExternalTool.REQUIRE, "1")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("node is not on the PATH")
        .hasMessageContaining("PEW_REQUIRE_TOOLS=1 forbids skipping");
  }

  @Test
  void aToolOnThePathIsFound() {
    assertThat(ExternalTool.require("sh", "a shell", Map.of("PATH", "/nonexistent:/bin:/usr/bin")).getFileName()).hasToString("sh");
  }
}
