package io.keikomon.validate.check;

import io.keikomon.config.Problem;
import io.keikomon.content.promql.PromqlLexer;
import io.keikomon.content.promql.PromqlSyntaxException;
import io.keikomon.content.promql.Token;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.validate.tree.TreeLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fallback that hides missing data: {@code x or vector(0)}, {@code x or y * 0}, {@code x or on() vector(0)}.
 * When {@code x} selects nothing (a label name the service does not export, a renamed metric, a target that is
 * down), the rule yields a healthy-looking 0 instead of nothing, so neither the alert nor an absent() check can
 * tell "no data" from "all fine". The 5xx ratio with {@code status} where the backend exports {@code code} is the
 * classic case.
 */
public final class FallbackCheck implements TreeCheck {
  @Override
  public String name() {
    return "hiding fallbacks";
  }

  @Override
  public List<Problem> check(ParsedTree tree) {
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, DocNode> file : tree.under(TreeLayout.RULES, ".yml", ".yaml").entrySet()) {
      for (RuleDocs.Rule r : RuleDocs.rules(file.getValue())) {
        String fallback;
        try {
          fallback = fallback(r.expr().text());
        } catch (PromqlSyntaxException e) {
          continue; // the syntax check reports it
        }
        if (fallback != null) {
          DocNode.Position pos = r.expr().positionOf("or", DocNode.Scalar.wordsBefore(r.expr().text(), "or",
              r.expr().text().indexOf(fallback)));
          problems.add(Problem.warning(tree.display(file.getKey()), pos.line(), pos.column(), r.path(),
              (r.record() ? "recording rule \"" : "rule \"") + r.name() + "\": `" + fallback.strip()
                  + "` turns \"no series\" (a label the service does not export, a renamed metric, a target that is"
                  + " down) into 0, so missing data looks healthy",
              "drop the fallback and let the target-down and absent() alerts cover missing data; for \"0 when there"
                  + " is no traffic\" use `or (sum(<the same counter without the label filter>) * 0)` only where"
                  + " that counter is known to exist"));
        }
      }
    }
    return problems;
  }

  /** The text from the {@code or} of a hiding fallback to the end of its operand, or null. */
  static String fallback(String expr) throws PromqlSyntaxException {
    List<Token> t = PromqlLexer.tokenize(expr);
    for (int i = 0; i < t.size(); i++) {
      if (!t.get(i).is(Token.Kind.IDENTIFIER) || !t.get(i).text().toLowerCase(Locale.ROOT).equals("or")) {
        continue;
      }
      int j = i + 1;
      if (j < t.size() && t.get(j).is(Token.Kind.IDENTIFIER)
          && java.util.Set.of("on", "ignoring").contains(t.get(j).text().toLowerCase(Locale.ROOT))) {
        j += 1;
        while (j < t.size() && !t.get(j).is(Token.Kind.RIGHT_PAREN)) {
          j++;
        }
        j++;
      }
      int end = operandEnd(t, j);
      if (hides(t, j, end) && !guarded(expr.substring(0, t.get(i).offset()),
          expr.substring(t.get(i).offset(), end < t.size() ? t.get(end).offset() : expr.length()))) {
        int from = t.get(i).offset();
        int to = end < t.size() ? t.get(end).offset() : expr.length();
        return expr.substring(from, to);
      }
    }
    return null;
  }


  /**
   * {@code x{status=~"5.."} or x{status=~".+"} * 0} hides nothing: the fallback needs the label too, so a wrong
   * label name leaves both sides empty. Guarded when every label the left side filters a metric on is also matched
   * by the fallback's selector of that metric.
   */
  private static boolean guarded(String left, String right) throws PromqlSyntaxException {
    List<io.keikomon.content.promql.Selectors.Selector> fallback = io.keikomon.content.promql.Selectors.extract(
        right.replaceFirst("^\\s*or\\b", ""));
    if (fallback.isEmpty()) {
      return false; // vector(0) or a number
    }
    for (io.keikomon.content.promql.Selectors.Selector s : io.keikomon.content.promql.Selectors.extract(left)) {
      for (io.keikomon.content.promql.Selectors.Matcher m : s.matchers()) {
        if (m.label().equals("job") || m.label().equals("instance")) {
          continue;
        }
        boolean covered = fallback.stream().filter(f -> f.name().equals(s.name()))
            .anyMatch(f -> f.matchers().stream().anyMatch(x -> x.label().equals(m.label())));
        if (!covered) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code vector(<number>)}, a number, or anything multiplied by 0. */
  private static boolean hides(List<Token> t, int from, int end) {
    if (from >= end) {
      return false;
    }
    Token first = t.get(from);
    if (first.is(Token.Kind.NUMBER) && end - from == 1) {
      return true;
    }
    if (first.is(Token.Kind.IDENTIFIER) && first.text().equals("vector") && from + 2 < end
        && t.get(from + 2).is(Token.Kind.NUMBER)) {
      return true;
    }
    int depth = 0;
    for (int i = from; i < end; i++) {
      Token x = t.get(i);
      if (x.is(Token.Kind.LEFT_PAREN)) {
        depth++;
      } else if (x.is(Token.Kind.RIGHT_PAREN)) {
        depth--;
      } else if (depth == 0 && x.is(Token.Kind.OPERATOR) && x.text().equals("*")) {
        boolean zeroAfter = i + 1 < end && zero(t.get(i + 1));
        boolean zeroBefore = i - 1 >= from && zero(t.get(i - 1));
        if (zeroAfter || zeroBefore) {
          return true;
        }
      }
    }
    // (x * 0) in parentheses
    return first.is(Token.Kind.LEFT_PAREN) && end - from > 2 && hides(t, from + 1, end - 1);
  }

  private static boolean zero(Token x) {
    if (!x.is(Token.Kind.NUMBER)) {
      return false;
    }
    try {
      return Double.parseDouble(x.text()) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The end (exclusive) of the operand starting at {@code from}: the next top-level set operator or the end. */
  private static int operandEnd(List<Token> t, int from) {
    int depth = 0;
    for (int i = from; i < t.size(); i++) {
      Token x = t.get(i);
      if (x.is(Token.Kind.LEFT_PAREN) || x.is(Token.Kind.LEFT_BRACE) || x.is(Token.Kind.LEFT_BRACKET)) {
        depth++;
      } else if (x.is(Token.Kind.RIGHT_PAREN) || x.is(Token.Kind.RIGHT_BRACE) || x.is(Token.Kind.RIGHT_BRACKET)) {
        if (--depth < 0) {
          return i;
        }
      } else if (depth == 0 && x.is(Token.Kind.IDENTIFIER)
          && java.util.Set.of("and", "or", "unless").contains(x.text().toLowerCase(Locale.ROOT))) {
        return i;
      } else if (depth == 0 && x.is(Token.Kind.OPERATOR) && java.util.Set.of(">", "<", ">=", "<=", "==", "!=")
          .contains(x.text())) {
        return i;
      }
    }
    return t.size();
  }
}
