package io.keikomon.content.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MetricNamesTest {

  private static String names(String expr) throws PromqlSyntaxException {
    return String.join(" ", MetricNames.extract(expr).stream().map(MetricNames.Ref::name).toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      up                                                                                   | up
      up == 0                                                                              | up
      up{job="backend"} == 0                                                               | up
      sum(rate(http_requests_total[5m]))                                                   | http_requests_total
      sum by (job, endpoint) (rate(http_requests_total{status=~"5.."}[5m]))               | http_requests_total
      sum(rate(http_requests_total[5m])) by (endpoint)                                    | http_requests_total
      sum without (instance) (rate(x_total[1h30m]))                                        | x_total
      histogram_quantile(0.95, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m]))) | http_request_duration_seconds_bucket
      rate(a_total[5m]) / on (job) group_left (instance) b                                 | a_total b
      a * ignoring(code) group_right c                                                     | a c
      a > bool 1                                                                           | a
      a and on() b or c unless d                                                           | a b c d
      a atan2 b                                                                            | a b
      rate(x[5m] offset 1h)                                                                | x
      x @ 1609746000                                                                       | x
      x @ start()                                                                          | x
      max_over_time(deriv(x[5m])[1h:1m])                                                   | x
      max_over_time(x[30m:])                                                               | x
      {__name__="node_load1", job="node"}                                                  | node_load1
      {__name__=~"node_.*"}                                                                |
      {"my.metric", job="x"}                                                               | my.metric
      topk(5, x)                                                                           | x
      count_values("version", build_info)                                                  | build_info
      quantile(0.9, x) > +Inf                                                              | x
      NaN                                                                                  |
      label_replace(up, "dst", "$1", "src", "(.*)")                                        | up
      absent(up{job="redis"})                                                              | up
      job:http_requests:rate5m > 0.1                                                       | job:http_requests:rate5m
      sum(rate(x[$__rate_interval]))                                                       | x
      rate(x{instance=~"$instance"}[${__interval}])                                        | x
      rate(x{instance=~"[[instance]]"}[5m])                                                | x
      1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))               | node_cpu_seconds_total
      sum by (on) (x)                                                                      | x
      vector(1)                                                                            |
      time() - process_start_time_seconds                                                  | process_start_time_seconds
      0x1F + 1e3 + .5 + 2.5e-3                                                             |
      # a comment\\n up                                                                    | up
      """)
  void extractsMetricNames(String expr, String expected) throws PromqlSyntaxException {
    assertEquals(expected == null ? "" : expected, names(expr.replace("\\n", "\n")));
  }

  @Test
  void reportsOffsets() throws PromqlSyntaxException {
    assertEquals(List.of(new MetricNames.Ref("a_total", 5, List.of("rate")), new MetricNames.Ref("b", 32)),
        MetricNames.extract("rate(a_total[5m]) / ignoring(x) b"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      x                                                                  | []
      sum(rate(x[5m]))                                                   | [rate, sum]
      sum by (job) (rate(x[5m]))                                         | [rate, sum]
      sum(x) by (job)                                                    | [sum]
      (x - y) / 2                                                        | []
      histogram_quantile(0.9, sum without (i) (rate(x[5m])))             | [rate, sum, histogram_quantile]
      max_over_time(rate(x[5m])[1h:])                                    | [rate, max_over_time]
      a * on(j) group_left(k) (x)                                        | []
      absent({__name__="x"})                                             | [absent]
      rate(y[5m]) > 0 and x > 0                                          | []
      """)
  void knowsTheFunctionsAMetricIsPassedTo(String expr, String functions) throws PromqlSyntaxException {
    assertEquals(functions, MetricNames.extract(expr).stream().filter(r -> r.name().equals("x")).findFirst()
        .orElseThrow().functions().toString());
  }

  @Test
  void multiLineRuleExpression() throws PromqlSyntaxException {
    String expr = """
        (
          sum by (job) (rate(http_requests_total{status=~"5.."}[5m]))
        /
          sum by (job) (rate(http_requests_total[5m]))
        ) > 0.10
        """;
    assertEquals("http_requests_total http_requests_total", names(expr));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      sum(rate(x[5m])                 | 3  | unclosed '('
      up{job="x"                      | 2  | unclosed '{'
      up{job="x}                      | 7  | unterminated string
      rate(x[5m)]                     | 9  | unexpected ')'
      rate(x[5q])                     | 7  | bad number or duration
      up ! 1                          | 3  | unexpected '!'
      up ~ 1                          | 3  | unexpected character '~'
      """)
  void rejectsBrokenExpressions(String expr, int offset, String message) {
    PromqlSyntaxException e = assertThrows(PromqlSyntaxException.class, () -> MetricNames.extract(expr));
    assertEquals(offset, e.offset(), e.getMessage());
    assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void tokenKinds() throws PromqlSyntaxException {
    List<Token.Kind> kinds = PromqlLexer.tokenize("rate(x{a!~'b'}[1h30m:500ms] offset 5m) @ 10 >= 0x1f")
        .stream().map(Token::kind).toList();
    assertEquals(List.of(Token.Kind.IDENTIFIER, Token.Kind.LEFT_PAREN, Token.Kind.IDENTIFIER, Token.Kind.LEFT_BRACE,
        Token.Kind.IDENTIFIER, Token.Kind.OPERATOR, Token.Kind.STRING, Token.Kind.RIGHT_BRACE,
        Token.Kind.LEFT_BRACKET, Token.Kind.DURATION, Token.Kind.COLON, Token.Kind.DURATION, Token.Kind.RIGHT_BRACKET,
        Token.Kind.IDENTIFIER, Token.Kind.DURATION, Token.Kind.RIGHT_PAREN, Token.Kind.AT, Token.Kind.NUMBER,
        Token.Kind.OPERATOR, Token.Kind.NUMBER), kinds);
  }

  @Test
  void stringEscapesAreDecoded() throws PromqlSyntaxException {
    assertEquals("a\"b", PromqlLexer.tokenize("\"a\\\"b\"").get(0).text());
    assertEquals("a\\d", PromqlLexer.tokenize("`a\\d`").get(0).text());
  }
}
