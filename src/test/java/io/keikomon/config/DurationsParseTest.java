package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsParseTest {
  @Test
  void parsesCompoundDurations() {
    assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
    assertEquals(Duration.ofHours(26), Durations.parse("1d2h"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1s500ms"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("10 m"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
  }

  @Test
  void formatsSecondsTheWayPromtoolReadsThem() {
    assertEquals("0s", Durations.format(0));
    assertEquals("1m15s", Durations.format(75));
    assertEquals("2h10m", Durations.format(7800));
  }
}
