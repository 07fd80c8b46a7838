package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Expected annotation texts must match what Prometheus' Go templates print: humanizePercentage is
 * %.4g of v*100, printf rounds the exact binary value half-to-even.
 */
class ValueFormatTest {
  @Test
  void percentMatchesGoHumanizePercentage() {
    assertEquals("85%", ValueFormat.PERCENT.format(0.85));
    assertEquals("12.35%", ValueFormat.PERCENT.format(0.123456));
    assertEquals("100%", ValueFormat.PERCENT.format(1.0));
    assertEquals("0.5%", ValueFormat.PERCENT.format(0.005));
  }

  @Test
  void printfRoundsTheExactBinaryValueHalfToEven() {
    assertEquals("0.12s", ValueFormat.SECONDS.format(0.125)); // exactly representable tie: to even
    assertEquals("1.00s", ValueFormat.SECONDS.format(1.005)); // binary value is just below 1.005
    assertEquals("2", ValueFormat.COUNT.format(2.5)); // tie: to even
    assertEquals("1", ValueFormat.COUNT.format(1.1111)); // increase() extrapolating one failure
  }

  @Test
  void thresholdsReadAsWritten() {
    assertEquals("80%", ValueFormat.PERCENT.threshold(0.8));
    assertEquals("1s", ValueFormat.SECONDS.threshold(1.0));
    assertEquals("0.5", ValueFormat.COUNT.threshold(0.5));
  }

  @Test
  void valuesOnARoundingEdgeAreUnstable() {
    assertFalse(ValueFormat.SECONDS.stable(0.125));
    assertTrue(ValueFormat.SECONDS.stable(1.05 * 0.999));
  }
}
