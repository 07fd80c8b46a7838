package io.keikomon.content.promql;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL inside a Grafana Prometheus template-variable query. Grafana adds its own functions:
 * {@code label_values(label)}, {@code label_values(selector, label)}, {@code label_names()},
 * {@code metrics(regex)} and {@code query_result(expr)}; anything else is a plain PromQL query.
 */
public final class GrafanaQueries {
  private static final Pattern CALL = Pattern.compile(
      "\\s*(label_values|label_names|metrics|query_result)\\s*\\((.*)\\)\\s*", Pattern.DOTALL);

  private GrafanaQueries() {}

  /** A PromQL expression inside the query, and its offset in the query. */
  public record Expr(String expr, int offset) {}

  public static List<Expr> expressions(String query) {
    Matcher m = CALL.matcher(query);
    if (!m.matches()) {
      return query.isBlank() ? List.of() : List.of(new Expr(query, 0));
    }
    String args = m.group(2);
    int argsAt = m.start(2);
    return switch (m.group(1)) {
      case "query_result" -> List.of(new Expr(args, argsAt));
      case "label_values" -> {
        int comma = lastTopLevelComma(args);
        yield comma < 0 ? List.of() : List.of(new Expr(args.substring(0, comma), argsAt));
      }
      default -> List.of();
    };
  }

  private static int lastTopLevelComma(String s) {
    int depth = 0;
    int last = -1;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        last = i;
      }
    }
    return last;
  }
}
