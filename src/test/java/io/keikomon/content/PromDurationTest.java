package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromDurationTest {
  @Test
  void parsesCompoundDurations() {
    assertEquals(Duration.ofSeconds(90), PromDuration.parse("1m30s"));
    assertEquals(Duration.ofHours(26), PromDuration.parse("1d2h"));
    assertEquals(Duration.ofMillis(1500), PromDuration.parse("1s500ms"));
    assertThrows(IllegalArgumentException.class, () -> PromDuration.parse("10 m"));
    assertThrows(IllegalArgumentException.class, () -> PromDuration.parse(""));
  }

  @Test
  void formatsSecondsTheWayPromtoolReadsThem() {
    assertEquals("0s", PromDuration.format(0));
    assertEquals("1m15s", PromDuration.format(75));
    assertEquals("2h10m", PromDuration.format(7800));
  }
}
