package io.keikomon.compose;

import java.util.Map;

/**
 * Compose's variable substitution: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}},
 * {@code ${VAR:?message}}, {@code ${VAR?message}}; {@code $$} is a literal dollar. An unset variable without a
 * default expands to "" (as Compose does).
 */
public final class Interpolator {
  private final Map<String, String> variables;

  Interpolator(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  String variable(String name) {
    return variables.get(name);
  }

  /** @throws IllegalArgumentException for a required variable that is unset, or a malformed reference */
  String expand(String s) {
    if (s.indexOf('$') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        i++;
        continue;
      }
      char n = s.charAt(i + 1);
      if (n == '$') {
        out.append('$');
        i += 2;
      } else if (n == '{') {
        int close = s.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed `${` in `" + s + "`");
        }
        out.append(braced(s.substring(i + 2, close)));
        i = close + 1;
      } else if (Character.isLetter(n) || n == '_') {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        out.append(variables.getOrDefault(s.substring(i + 1, j), ""));
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String braced(String expr) {
    for (String op : new String[] {":-", ":?", "-", "?"}) {
      int at = expr.indexOf(op);
      if (at > 0) {
        String name = expr.substring(0, at);
        String arg = expr.substring(at + op.length());
        String value = variables.get(name);
        boolean unset = op.startsWith(":") ? value == null || value.isEmpty() : value == null;
        if (!unset) {
          return value;
        }
        if (op.endsWith("-")) {
          return arg;
        }
        throw new IllegalArgumentException("variable " + name + " is required: " + arg);
      }
    }
    if (!expr.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("`${" + expr + "}` is not a variable reference");
    }
    return variables.getOrDefault(expr, "");
  }
}
