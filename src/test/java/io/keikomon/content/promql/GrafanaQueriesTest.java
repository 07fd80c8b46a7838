package io.keikomon.content.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrafanaQueriesTest {
  @Test
  void labelValuesWithMetricYieldsTheSelector() {
    assertEquals(List.of(new GrafanaQueries.Expr("up{job=\"a,b\"}", 13)),
        GrafanaQueries.expressions("label_values(up{job=\"a,b\"}, instance)"));
  }

  @Test
  void labelValuesOfALabelOnlyHasNoMetric() {
    assertEquals(List.of(), GrafanaQueries.expressions("label_values(job)"));
    assertEquals(List.of(), GrafanaQueries.expressions("label_names()"));
    assertEquals(List.of(), GrafanaQueries.expressions("metrics(node_.*)"));
  }

  @Test
  void queryResultAndPlainQueries() {
    assertEquals(List.of(new GrafanaQueries.Expr("count(up) by (job)", 13)),
        GrafanaQueries.expressions("query_result(count(up) by (job))"));
    assertEquals(List.of(new GrafanaQueries.Expr("up", 0)), GrafanaQueries.expressions("up"));
  }
}
