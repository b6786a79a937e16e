package dev.pew;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class JvmDefaultsTest {

  @Test
  void turnsNettysFlightRecorderEventsOffWhenTheOperatorSaidNothing() {
    Properties system = new Properties();
    JvmDefaults.apply(system);
    assertThat(system.getProperty("io.netty.jfr.enabled")).isEqualTo("false");
  }

  @Test
  void keepsWhatTheOperatorSet() {
    Properties system = new Properties();
    system.setProperty("io.netty.jfr.enabled", "true");
    JvmDefaults.apply(system);
    assertThat(system.getProperty("io.netty.jfr.enabled")).isEqualTo("true");
  }

  @Test
  void touchesNoOtherProperty() {
    Properties system = new Properties();
    system.setProperty("user.name", "pew");
    JvmDefaults.apply(system);
    assertThat(system.stringPropertyNames()).containsExactlyInAnyOrder("user.name", "io.netty.jfr.enabled");
  }
}
