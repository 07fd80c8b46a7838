package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void acceptsPrometheusDurations() {
    for (String d : new String[] {"15s", "1h30m", "15d", "500ms", "1y2w3d4h5m6s7ms", "2m30s", "0", "90d"}) {
      assertTrue(Durations.isValid(d), d);
    }
  }

  @Test
  void rejectsWhatPrometheusRejects() {
    for (String d : new String[] {"", "15", "15 s", "1.5h", "30m1h", "1h1h", "15sec", "-5m", "m", "15S"}) {
      assertFalse(Durations.isValid(d), d);
    }
  }

  @Test
  void zeroIsValidButNotPositive() {
    assertFalse(Durations.isPositive("0s"));
    assertFalse(Durations.isPositive("0"));
    assertTrue(Durations.isPositive("10s"));
  }
}
