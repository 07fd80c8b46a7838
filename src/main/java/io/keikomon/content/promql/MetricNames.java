package io.keikomon.content.promql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the metric names an expression selects: bare selectors ({@code foo}, {@code foo{a="b"}[5m]}) and
 * name matchers ({@code {__name__="foo"}}, the quoted-name form {@code {"foo"}}). Identifiers that are
 * functions (followed by "("), aggregation operators, keywords, label lists after by/without/on/
 * ignoring/group_left/group_right, and label names inside braces are not metric names.
 */
public final class MetricNames {
  /**
   * A metric name, where it starts in the expression (0-based), and the functions and aggregations it is
   * an argument of, innermost first ({@code sum(rate(x[5m]))} gives x with [rate, sum]).
   */
  public record Ref(String name, int offset, List<String> functions) {
    public Ref {
      functions = List.copyOf(functions);
    }

    public Ref(String name, int offset) {
      this(name, offset, List.of());
    }
  }

  private static final Set<String> KEYWORDS = Set.of(
      "and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right",
      "offset", "bool");
  private static final Set<String> LABEL_LIST_KEYWORDS = Set.of(
      "by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> AGGREGATIONS = Set.of(
      "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
      "quantile", "limitk", "limit_ratio");
  private static final Set<String> NUMBER_WORDS = Set.of("inf", "nan");

  private MetricNames() {}

  public static List<Ref> extract(String expr) throws PromqlSyntaxException {
    List<Token> tokens = PromqlLexer.tokenize(expr);
    List<Ref> refs = new ArrayList<>();
    Deque<String> calls = new ArrayDeque<>(); // one entry per open parenthesis: its function, or ""
    String pending = ""; // a function or aggregation whose "(" is still to come
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is(Token.Kind.LEFT_PAREN)) {
        calls.push(pending);
        pending = "";
      } else if (t.is(Token.Kind.RIGHT_PAREN)) {
        calls.pop(); // the lexer guarantees balance
      } else if (t.is(Token.Kind.LEFT_BRACE)) {
        i = matchers(tokens, i, refs, functions(calls));
      } else if (t.is(Token.Kind.IDENTIFIER)) {
        String lower = t.text().toLowerCase(Locale.ROOT);
        Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
        boolean call = next != null && next.is(Token.Kind.LEFT_PAREN);
        if (KEYWORDS.contains(lower)) {
          if (LABEL_LIST_KEYWORDS.contains(lower) && call) {
            i = closing(tokens, i + 1);
          }
        } else if (AGGREGATIONS.contains(t.text()) && next != null && (call
            || (next.is(Token.Kind.IDENTIFIER) && Set.of("by", "without").contains(next.text().toLowerCase(Locale.ROOT))))) {
          pending = t.text(); // its by/without clause is skipped on the next round
        } else if (call) {
          pending = t.text();
        } else if (!NUMBER_WORDS.contains(lower)) {
          refs.add(new Ref(t.text(), t.offset(), functions(calls)));
        }
      }
    }
    return List.copyOf(refs);
  }

  private static List<String> functions(Deque<String> calls) {
    return calls.stream().filter(c -> !c.isEmpty()).toList();
  }

  /** Reads the matchers of the selector opened at {@code open}; returns the index of its closing brace. */
  private static int matchers(List<Token> tokens, int open, List<Ref> refs, List<String> functions) {
    int i = open + 1;
    while (i < tokens.size() && !tokens.get(i).is(Token.Kind.RIGHT_BRACE)) {
      Token label = tokens.get(i);
      Token op = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      boolean hasOp = op != null && op.is(Token.Kind.OPERATOR);
      if (label.is(Token.Kind.STRING) && !hasOp) {
        refs.add(new Ref(label.text(), label.offset(), functions));
        i++;
      } else if (hasOp && i + 2 < tokens.size()) {
        Token value = tokens.get(i + 2);
        if (label.text().equals("__name__") && op.text().equals("=") && value.is(Token.Kind.STRING)) {
          refs.add(new Ref(value.text(), value.offset(), functions));
        }
        i += 3;
      } else {
        i++;
      }
      if (i < tokens.size() && tokens.get(i).is(Token.Kind.COMMA)) {
        i++;
      }
    }
    return i;
  }

  /** Index of the token closing the parenthesis at {@code open}. */
  private static int closing(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).is(Token.Kind.LEFT_PAREN)) {
        depth++;
      } else if (tokens.get(i).is(Token.Kind.RIGHT_PAREN) && --depth == 0) {
        return i;
      }
    }
    return tokens.size() - 1; // the lexer guarantees balance, so this is not reached
  }
}
