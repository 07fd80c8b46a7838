package io.keikomon.validate.check;

import io.keikomon.validate.tree.DocNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether an Alertmanager route matches an alert's labels: its {@code matchers} (=, !=, =~, !~; regexes
 * anchored, a missing label is ""), and the older {@code match} and {@code match_re} maps.
 */
final class RouteMatchers {
  private static final Pattern MATCHER =
      Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))\\s*");

  private RouteMatchers() {}

  static boolean matches(DocNode.Mapping route, Map<String, String> labels) {
    for (DocNode n : route.sequence("matchers")) {
      if (n instanceof DocNode.Scalar s && !matches(s.text(), labels)) {
        return false;
      }
    }
    for (String kind : List.of("match", "match_re")) {
      DocNode.Mapping m = route.mapping(kind).orElse(null);
      if (m == null) {
        continue;
      }
      for (Map.Entry<String, DocNode> e : m.entries().entrySet()) {
        String want = e.getValue() instanceof DocNode.Scalar s ? s.text() : "";
        String have = labels.getOrDefault(e.getKey(), "");
        if (kind.equals("match") ? !want.equals(have) : !regex(want, have)) {
          return false;
        }
      }
    }
    return true;
  }

  /** An unparsable matcher matches nothing (amtool check-config reports it). */
  static boolean matches(String matcher, Map<String, String> labels) {
    Matcher m = MATCHER.matcher(matcher);
    if (!m.matches()) {
      return false;
    }
    String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(4);
    String have = labels.getOrDefault(m.group(1), "");
    return switch (m.group(2)) {
      case "=" -> have.equals(value);
      case "!=" -> !have.equals(value);
      case "=~" -> regex(value, have);
      default -> !regex(value, have);
    };
  }

  private static boolean regex(String regex, String value) {
    try {
      return Pattern.matches("(?:" + regex + ")", value);
    } catch (PatternSyntaxException e) {
      return false;
    }
  }
}
