package io.keikomon.content.promql;

import java.util.ArrayList;
import java.util.List;

/**
 * The vector selectors of an expression with their label matchers: {@code rate(http_requests_total{status=~"5.."}[5m])}
 * gives {@code http_requests_total} with {@code status=~"5.."}. Built on {@link MetricNames} (which decides what a
 * metric name is); a matcher whose value is a Grafana variable keeps the variable's text.
 */
public final class Selectors {
  /** {@code label op value}; {@code op} is one of {@code = != =~ !~}. */
  public record Matcher(String label, String op, String value) {
    @Override
    public String toString() {
      return label + op + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }

  /** A metric name, its matchers other than the name, and the functions it is an argument of (innermost first). */
  public record Selector(String name, List<Matcher> matchers, List<String> functions) {
    public Selector {
      matchers = List.copyOf(matchers);
      functions = List.copyOf(functions);
    }

    /** The selector as PromQL: {@code name{a="b"}}. */
    public String promql() {
      return matchers.isEmpty() ? name : name + "{" + String.join(", ", matchers.stream().map(Matcher::toString)
          .toList()) + "}";
    }

    /** Inside {@code absent()} or {@code absent_over_time()}: empty on purpose. */
    public boolean expectedEmpty() {
      return functions.stream().anyMatch(f -> f.equals("absent") || f.equals("absent_over_time"));
    }
  }

  private Selectors() {
  }

  public static List<Selector> extract(String expr) throws PromqlSyntaxException {
    List<Token> tokens = PromqlLexer.tokenize(expr);
    List<Selector> out = new ArrayList<>();
    for (MetricNames.Ref ref : MetricNames.extract(expr)) {
      int at = index(tokens, ref.offset());
      if (at < 0) {
        continue;
      }
      List<Matcher> matchers = new ArrayList<>();
      Token t = tokens.get(at);
      if (t.is(Token.Kind.IDENTIFIER) && at + 1 < tokens.size() && tokens.get(at + 1).is(Token.Kind.LEFT_BRACE)) {
        matchers(tokens, at + 1, matchers);
      } else if (!t.is(Token.Kind.IDENTIFIER)) {
        int open = at;
        while (open >= 0 && !tokens.get(open).is(Token.Kind.LEFT_BRACE)) {
          open--;
        }
        if (open >= 0) {
          matchers(tokens, open, matchers);
        }
      }
      out.add(new Selector(ref.name(), matchers, ref.functions()));
    }
    return List.copyOf(out);
  }

  private static int index(List<Token> tokens, int offset) {
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).offset() == offset) {
        return i;
      }
    }
    return -1;
  }

  private static void matchers(List<Token> tokens, int open, List<Matcher> out) {
    int i = open + 1;
    while (i < tokens.size() && !tokens.get(i).is(Token.Kind.RIGHT_BRACE)) {
      Token label = tokens.get(i);
      Token op = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      if (op != null && op.is(Token.Kind.OPERATOR) && i + 2 < tokens.size()) {
        Token value = tokens.get(i + 2);
        if (!label.text().equals("__name__")) {
          out.add(new Matcher(label.text(), op.text(), value.text()));
        }
        i += 3;
      } else {
        i++;
      }
      if (i < tokens.size() && tokens.get(i).is(Token.Kind.COMMA)) {
        i++;
      }
    }
  }
}
