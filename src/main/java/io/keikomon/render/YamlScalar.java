package io.keikomon.render;

import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a string as a YAML scalar: plain when that is unambiguous for YAML 1.1 and 1.2 readers (PyYAML in
 * docker-compose v1, Go yaml in Prometheus), double-quoted otherwise. Exposed to templates as {@code q(x)}.
 */
final class YamlScalar implements TemplateMethodModelEx {
  private static final Pattern PLAIN = Pattern.compile("(--?[A-Za-z]|[A-Za-z0-9_/])[A-Za-z0-9_./@+=-]*(:[A-Za-z0-9_./@+=-]+)*");
  private static final Pattern HAS_LETTER = Pattern.compile(".*[A-Za-z].*");
  private static final Set<String> RESERVED = Set.of(
      "y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf");

  static String of(String s) {
    if (PLAIN.matcher(s).matches() && isNotNumberLike(s) && !RESERVED.contains(s.toLowerCase())) {
      return s;
    }
    return quoted(s);
  }

  /** Numbers, dates and sexagesimals (YAML 1.1 reads "1:30" as 90) always contain no letter, or an e/x. */
  private static boolean isNotNumberLike(String s) {
    if (!HAS_LETTER.matcher(s).matches()) {
      return false;
    }
    return !s.matches("[-+]?(0x[0-9a-fA-F_]+|[0-9_.]+[eE][-+]?[0-9]+|\\.?(inf|nan|Inf|NaN|INF|NAN))");
  }

  static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  @Override
  public Object exec(@SuppressWarnings("rawtypes") List arguments) throws TemplateModelException {
    if (arguments.size() != 1 || !(arguments.get(0) instanceof TemplateScalarModel scalar)) {
      throw new TemplateModelException("q(...) takes exactly one string");
    }
    return of(scalar.getAsString());
  }
}
