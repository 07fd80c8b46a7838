package io.keikomon.content.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OutputLabelsTest {
  private static OutputLabels of(String e) throws Exception {
    return OutputLabels.of(e);
  }

  @Test
  void aggregationsByNameExactlyTheirLabels() throws Exception {
    assertEquals(new OutputLabels(Set.of("job"), true), of("sum by (job) (rate(x[5m])) > 0.5"));
    assertEquals(new OutputLabels(Set.of("service"), true), of("max(rate(x[5m])) by (service) / 2"));
    assertEquals(new OutputLabels(Set.of(), true), of("sum(rate(x[5m])) > 0"));
    assertEquals(new OutputLabels(Set.of("job", "route"), true),
        of("histogram_quantile(0.95, sum by (job, route, le) (rate(h_bucket[5m]))) > 0.5"));
  }

  @Test
  void selectorsCarryJobInstanceAndTheirEqualityMatchersButMayCarryMore() throws Exception {
    OutputLabels up = of("up{job=\"backend\", path=~\"/x\"} == 0");
    assertFalse(up.closed());
    assertEquals(Set.of("job", "instance"), up.carried());
    assertEquals(new OutputLabels(Set.of("job"), true), of("absent(up{job=\"backend\"})"));
    assertEquals(new OutputLabels(Set.of(), true), of("vector(1)"));
    assertEquals(new OutputLabels(Set.of("job"), true), of("1 - sum by (job) (x) / sum by (job) (y)"));
  }

  @Test
  void groupLeftAndWithoutAreOpen() throws Exception {
    assertFalse(of("a * on (instance) group_left (nodename) b").closed());
    assertFalse(of("sum without (cpu) (rate(x[5m]))").closed());
    assertTrue(of("label_replace(sum by (a) (x), \"b\", \"$1\", \"a\", \"(.*)\")").carried().contains("b"));
  }
}
