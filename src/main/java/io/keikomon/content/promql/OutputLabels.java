package io.keikomon.content.promql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which labels the series of an expression carry, as far as the text says: {@code sum by (job) (...)} carries
 * exactly {@code job}; a plain selector carries at least {@code job}, {@code instance} and its equality matchers
 * but may carry more (open). A binary operation carries the labels of its vector side (the left one when both are
 * vectors); {@code group_left}/{@code group_right}, {@code without} and unknown functions make the answer open.
 *
 * @param carried labels every series of the result has
 * @param closed true when the series have exactly {@code carried}
 */
public record OutputLabels(Set<String> carried, boolean closed) {
  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
      "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
  /** Aggregations whose result keeps the input's labels when they have no by/without clause. */
  private static final Set<String> KEEPING = Set.of("topk", "bottomk", "limitk", "limit_ratio");
  private static final Set<String> SET_OPS = Set.of("and", "or", "unless");

  public OutputLabels {
    carried = Set.copyOf(carried);
  }

  static OutputLabels open(Set<String> carried) {
    return new OutputLabels(carried, false);
  }

  public static OutputLabels of(String expr) throws PromqlSyntaxException {
    List<Token> t = PromqlLexer.tokenize(expr);
    return expression(t, 0, t.size());
  }

  private static OutputLabels expression(List<Token> t, int from, int to) {
    List<int[]> operands = new ArrayList<>();
    int depth = 0;
    int start = from;
    boolean grouping = false;
    for (int i = from; i < to; i++) {
      Token x = t.get(i);
      if (opens(x)) {
        depth++;
      } else if (closes(x)) {
        depth--;
      } else if (depth == 0 && isBinary(t, i, from)) {
        operands.add(new int[] {start, i});
        i = skipModifiers(t, i + 1, to) - 1;
        if (i + 1 < to && t.get(i).is(Token.Kind.IDENTIFIER) && t.get(i).text().startsWith("group_")) {
          grouping = true;
        }
        grouping |= groupingBetween(t, start, i + 1);
        start = i + 1;
      }
    }
    operands.add(new int[] {start, to});
    if (grouping) {
      return open(Set.of());
    }
    for (int[] o : operands) {
      OutputLabels l = operand(t, o[0], o[1]);
      if (l != null) {
        return l; // the first vector operand decides (scalars have no labels and are skipped)
      }
    }
    return new OutputLabels(Set.of(), true);
  }

  private static boolean groupingBetween(List<Token> t, int from, int to) {
    for (int i = from; i < to && i < t.size(); i++) {
      if (t.get(i).is(Token.Kind.IDENTIFIER) && t.get(i).text().toLowerCase(Locale.ROOT).startsWith("group_")) {
        return true;
      }
    }
    return false;
  }

  /** After a binary operator: bool, on(...)/ignoring(...), group_left(...)/group_right(...). */
  private static int skipModifiers(List<Token> t, int i, int to) {
    while (i < to && t.get(i).is(Token.Kind.IDENTIFIER)) {
      String w = t.get(i).text().toLowerCase(Locale.ROOT);
      if (w.equals("bool")) {
        i++;
      } else if (Set.of("on", "ignoring", "group_left", "group_right").contains(w)) {
        i++;
        if (i < to && t.get(i).is(Token.Kind.LEFT_PAREN)) {
          i = close(t, i) + 1;
        }
      } else {
        break;
      }
    }
    return i;
  }

  private static boolean isBinary(List<Token> t, int i, int from) {
    Token x = t.get(i);
    if (x.is(Token.Kind.IDENTIFIER)) {
      return SET_OPS.contains(x.text().toLowerCase(Locale.ROOT));
    }
    if (!x.is(Token.Kind.OPERATOR) || x.text().equals("=~") || x.text().equals("!~")) {
      return false;
    }
    // a leading sign is unary
    return i > from && !t.get(i - 1).is(Token.Kind.OPERATOR);
  }

  /** Null for a scalar operand (number, scalar(), time()). */
  private static OutputLabels operand(List<Token> t, int from, int to) {
    while (from < to && t.get(from).is(Token.Kind.OPERATOR)) {
      from++; // unary minus
    }
    if (from >= to) {
      return null;
    }
    Token first = t.get(from);
    if (first.is(Token.Kind.NUMBER)) {
      return null;
    }
    if (first.is(Token.Kind.LEFT_PAREN)) {
      int c = close(t, from);
      return expression(t, from + 1, c);
    }
    if (first.is(Token.Kind.LEFT_BRACE)) {
      return selector(t, from);
    }
    if (!first.is(Token.Kind.IDENTIFIER)) {
      return open(Set.of());
    }
    String name = first.text();
    boolean call = from + 1 < to && t.get(from + 1).is(Token.Kind.LEFT_PAREN);
    if (AGGREGATIONS.contains(name) && (call || (from + 1 < to && t.get(from + 1).is(Token.Kind.IDENTIFIER)))) {
      return aggregation(t, from, to);
    }
    if (!call) {
      return selector(t, from);
    }
    int open = from + 1;
    int close = close(t, open);
    List<int[]> args = arguments(t, open, close);
    switch (name) {
      case "vector":
        return new OutputLabels(Set.of(), true);
      case "scalar":
      case "time":
      case "pi":
        return null;
      case "absent":
      case "absent_over_time":
        return new OutputLabels(equalityLabels(t, args.get(0)[0], args.get(0)[1]), true);
      case "histogram_quantile": {
        OutputLabels inner = expression(t, args.get(1)[0], args.get(1)[1]);
        Set<String> l = new LinkedHashSet<>(inner.carried);
        l.remove("le");
        return new OutputLabels(l, inner.closed);
      }
      case "label_replace": {
        OutputLabels inner = expression(t, args.get(0)[0], args.get(0)[1]);
        Set<String> l = new LinkedHashSet<>(inner.carried);
        l.add(t.get(args.get(1)[0]).text());
        return new OutputLabels(l, inner.closed);
      }
      default:
        for (int[] a : args) {
          OutputLabels l = operand(t, a[0], a[1]);
          if (l != null && !(a[1] - a[0] == 1 && t.get(a[0]).is(Token.Kind.STRING))) {
            return l;
          }
        }
        return open(Set.of());
    }
  }

  private static OutputLabels aggregation(List<Token> t, int from, int to) {
    String name = t.get(from).text();
    int i = from + 1;
    Set<String> by = null;
    boolean without = false;
    if (t.get(i).is(Token.Kind.IDENTIFIER)) { // sum by (a) (x)
      without = t.get(i).text().equalsIgnoreCase("without");
      by = labelList(t, i + 1);
      i = close(t, i + 1) + 1;
    }
    int close = close(t, i);
    List<int[]> args = arguments(t, i, close);
    if (close + 1 < to && t.get(close + 1).is(Token.Kind.IDENTIFIER)) { // sum (x) by (a)
      without = t.get(close + 1).text().equalsIgnoreCase("without");
      by = labelList(t, close + 2);
    }
    if (without) {
      return open(Set.of());
    }
    if (by == null) {
      if (KEEPING.contains(name)) {
        int[] last = args.get(args.size() - 1);
        return expression(t, last[0], last[1]);
      }
      return new OutputLabels(Set.of(), true);
    }
    Set<String> l = new LinkedHashSet<>(by);
    if (name.equals("count_values")) {
      l.add(t.get(args.get(0)[0]).text());
    }
    return new OutputLabels(l, true);
  }

  private static OutputLabels selector(List<Token> t, int from) {
    Set<String> l = new LinkedHashSet<>(Set.of("job", "instance"));
    int brace = t.get(from).is(Token.Kind.LEFT_BRACE) ? from : from + 1 < t.size()
        && t.get(from + 1).is(Token.Kind.LEFT_BRACE) ? from + 1 : -1;
    if (brace >= 0) {
      l.addAll(equalityLabels(t, brace, close(t, brace) + 1));
    }
    return open(l);
  }

  private static Set<String> equalityLabels(List<Token> t, int from, int to) {
    Set<String> l = new LinkedHashSet<>();
    for (int i = from; i + 2 < to; i++) {
      if (t.get(i).is(Token.Kind.IDENTIFIER) && t.get(i + 1).is(Token.Kind.OPERATOR)
          && t.get(i + 1).text().equals("=") && t.get(i + 2).is(Token.Kind.STRING)
          && !t.get(i).text().equals("__name__")) {
        l.add(t.get(i).text());
      }
    }
    return l;
  }

  private static Set<String> labelList(List<Token> t, int open) {
    Set<String> l = new LinkedHashSet<>();
    for (int i = open + 1; i < t.size() && !t.get(i).is(Token.Kind.RIGHT_PAREN); i++) {
      if (t.get(i).is(Token.Kind.IDENTIFIER) || t.get(i).is(Token.Kind.STRING)) {
        l.add(t.get(i).text());
      }
    }
    return l;
  }

  /** Argument ranges of the call whose "(" is at {@code open} and ")" at {@code close}. */
  private static List<int[]> arguments(List<Token> t, int open, int close) {
    List<int[]> args = new ArrayList<>();
    int depth = 0;
    int start = open + 1;
    for (int i = open + 1; i < close; i++) {
      if (opens(t.get(i))) {
        depth++;
      } else if (closes(t.get(i))) {
        depth--;
      } else if (depth == 0 && t.get(i).is(Token.Kind.COMMA)) {
        args.add(new int[] {start, i});
        start = i + 1;
      }
    }
    if (start < close) {
      args.add(new int[] {start, close});
    }
    return args;
  }

  private static boolean opens(Token x) {
    return x.is(Token.Kind.LEFT_PAREN) || x.is(Token.Kind.LEFT_BRACE) || x.is(Token.Kind.LEFT_BRACKET);
  }

  private static boolean closes(Token x) {
    return x.is(Token.Kind.RIGHT_PAREN) || x.is(Token.Kind.RIGHT_BRACE) || x.is(Token.Kind.RIGHT_BRACKET);
  }

  /** Index of the bracket closing the one at {@code open} (the lexer guarantees balance). */
  private static int close(List<Token> t, int open) {
    int depth = 0;
    for (int i = open; i < t.size(); i++) {
      if (opens(t.get(i))) {
        depth++;
      } else if (closes(t.get(i)) && --depth == 0) {
        return i;
      }
    }
    return t.size() - 1;
  }
}
