package io.keikomon.content;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Annotation texts of an alert, and their expansion for promtool expectations. Only the template
 * forms the content itself writes are expanded: {{ $labels.name }} and the {@link ValueFormat} pipes.
 */
record AlertText(String summary, String description, String runbook) {
  private static final Pattern LABEL = Pattern.compile("\\{\\{ \\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*) \\}\\}");

  Map<String, String> annotations() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("summary", summary);
    a.put("description", description);
    a.put("runbook", runbook);
    return a;
  }

  /** The annotations as Prometheus renders them for an alert with these labels and value text. */
  static Map<String, String> expand(Map<String, String> annotations, Map<String, String> labels,
      ValueFormat format, double value) {
    Map<String, String> out = new LinkedHashMap<>();
    annotations.forEach((k, v) -> out.put(k, expand(v, labels, format, value)));
    return out;
  }

  static String expand(String text, Map<String, String> labels, ValueFormat format, double value) {
    String withValue = format == null ? text : text.replace(format.template(), format.format(value));
    Matcher m = LABEL.matcher(withValue);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(labels.getOrDefault(m.group(1), "<no value>")));
    }
    m.appendTail(out);
    return out.toString();
  }
}
