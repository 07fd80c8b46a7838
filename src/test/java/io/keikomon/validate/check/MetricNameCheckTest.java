package io.keikomon.validate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.Problem;
import io.keikomon.render.RenderedTree;
import io.keikomon.validate.catalogue.MetricCatalogue;
import io.keikomon.validate.catalogue.MetricSource;
import io.keikomon.validate.tree.ParsedTree;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricNameCheckTest {
  private static final MetricCatalogue ALL = MetricCatalogue.bundled(EnumSet.allOf(MetricSource.class));

  private static List<String> run(MetricCatalogue catalogue, Map<String, String> files) {
    return new MetricNameCheck(catalogue).check(ParsedTree.parse(new RenderedTree(files), "monitoring"))
        .stream().map(Problem::render).toList();
  }

  @Test
  void knownNamesAndRecordingRulesPass() {
    assertEquals(List.of(), run(ALL, Map.of(
        "prometheus/rules/recording.yml", """
            groups:
              - name: backend
                rules:
                  - record: job:http_requests:rate5m
                    expr: sum by (job) (rate(http_requests_total[5m]))
            """,
        "prometheus/rules/alerts.yml", """
            groups:
              - name: backend
                rules:
                  - alert: HighRequestRate
                    expr: job:http_requests:rate5m > 100
                  - alert: DiskFull
                    expr: |
                      1 - node_filesystem_avail_bytes{fstype!="tmpfs"} / node_filesystem_size_bytes > 0.9
            """,
        "grafana/dashboards/backend.json", """
            {"panels": [{"title": "p95", "targets": [{"expr":
               "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[$__rate_interval])))"}]},
              {"type": "row", "title": "DB", "panels": [{"title": "Size", "targets": [{"expr": "pg_database_size_bytes"}]}]}],
             "templating": {"list": [{"name": "instance", "type": "query", "query": "label_values(up{job=\\"backend\\"}, instance)"},
                                     {"name": "job", "type": "query", "query": {"query": "label_values(job)", "refId": "A"}}]}}
            """)));
  }

  @Test
  void unknownMetricInARuleNamesFileRuleAndSuggestion() {
    assertEquals(List.of("monitoring/prometheus/rules/alerts.yml:5:20: groups[0].rules[0].expr: rule \"HighErrorRate\":"
            + " unknown metric \"api_error_total\" (no enabled source provides it) (hint: did you mean api_errors_total?"
            + " if your backend exposes it, declare it under custom_metrics in keiko.yml)"),
        run(ALL, Map.of("prometheus/rules/alerts.yml", """
            groups:
              - name: backend
                rules:
                  - alert: HighErrorRate
                    expr: rate(api_error_total[5m]) > 0
            """)));
  }

  @Test
  void unknownMetricInAPanelOfACollapsedRowAndInAVariable() {
    List<String> problems = run(ALL, Map.of("grafana/dashboards/infra.json", """
        {"panels": [{"type": "row", "title": "Redis", "panels": [
           {"title": "Hit rate", "targets": [{"expr": "rate(redis_keyspace_hit_total[5m])"}]}]}],
         "templating": {"list": [{"name": "instance", "type": "query", "query": "label_values(nod_uname_info, instance)"}]}}
        """));
    assertEquals(2, problems.size(), problems.toString());
    assertEquals(true, problems.get(0).startsWith("monitoring/grafana/dashboards/infra.json:2:53:"
        + " panels[0].panels[0].targets[0].expr: panel \"Hit rate\": unknown metric \"redis_keyspace_hit_total\""),
        problems.get(0));
    assertEquals(true, problems.get(1).contains("templating.list[0].query: variable \"instance\": unknown metric"
        + " \"nod_uname_info\""), problems.get(1));
  }

  @Test
  void metricOfADisabledSourceSaysWhichSwitchTurnsItOn() {
    MetricCatalogue noRedis = MetricCatalogue.bundled(EnumSet.complementOf(EnumSet.of(MetricSource.REDIS_EXPORTER)));
    List<String> problems = run(noRedis, Map.of("prometheus/rules/a.yml",
        "groups: [{name: g, rules: [{alert: RedisDown, expr: redis_up == 0}]}]"));
    assertEquals(1, problems.size());
    assertEquals(true, problems.get(0).endsWith("(hint: it comes from redis-exporter, which is disabled"
        + " (redis.enabled))"), problems.get(0));
  }

  @Test
  void customMetricsAreKnownWithTheirHistogramSeries() {
    MetricCatalogue custom = ALL.with("custom_duration_seconds", "histogram", "custom_metrics");
    assertEquals(List.of(), run(custom, Map.of("prometheus/rules/a.yml",
        "groups: [{name: g, rules: [{record: x:p95, expr: 'histogram_quantile(0.95, rate(custom_duration_seconds_bucket[5m]))'}]}]")));
  }

  @Test
  void unreadablePromqlIsAnError() {
    List<String> problems = run(ALL, Map.of("prometheus/rules/a.yml",
        "groups: [{name: g, rules: [{alert: A, expr: 'sum(rate(up[5m])'}]}]"));
    assertEquals(List.of("monitoring/prometheus/rules/a.yml:1:45: groups[0].rules[0].expr: rule \"A\": cannot read the"
        + " PromQL expression: unclosed '(' at character 4 (hint: fix the expression)"), problems);
  }

  @Test
  void unknownMetricsInAMultiLineExpressionArePointedAtExactly() {
    List<String> problems = run(ALL, Map.of("prometheus/rules/a.yml", """
        groups:
          - name: g
            rules:
              - alert: ErrorRatio
                expr: |
                  sum(rate(http_requests_total{status=~"5.."}[5m]))
                  /
                  sum(rate(http_request_totl[5m])) > 0.1 and http_request_totl > 0
        """));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("monitoring/prometheus/rules/a.yml:8:20: "), problems.get(0));
    assertTrue(problems.get(1).startsWith("monitoring/prometheus/rules/a.yml:8:54: "), problems.get(1));
  }

  @Test
  void alertOnARawCounterIsAWarningAtTheCounter() {
    List<String> problems = run(ALL, Map.of("prometheus/rules/a.yml", """
        groups:
          - name: g
            rules:
              - alert: ManyErrors
                expr: api_errors_total > 100
              - alert: SlowRequests
                expr: histogram_quantile(0.95, sum by (le) (http_request_duration_seconds_bucket)) > 1
              - alert: ErrorsRising
                expr: sum(rate(api_errors_total[5m])) > 1 or absent(api_errors_total)
              - record: total:api_errors
                expr: sum(api_errors_total)
        """));
    assertEquals(List.of(
        "monitoring/prometheus/rules/a.yml:5:15: warning: groups[0].rules[0].expr: rule \"ManyErrors\" uses the counter"
            + " api_errors_total without rate() or increase(); a counter only grows (hint: compare"
            + " rate(api_errors_total[5m]) or increase(api_errors_total[1h]) instead)",
        "monitoring/prometheus/rules/a.yml:7:53: warning: groups[0].rules[1].expr: rule \"SlowRequests\" uses the"
            + " counter http_request_duration_seconds_bucket without rate() or increase(); a counter only grows (hint:"
            + " compare rate(http_request_duration_seconds_bucket[5m]) or"
            + " increase(http_request_duration_seconds_bucket[1h]) instead)"), problems);
  }
}
