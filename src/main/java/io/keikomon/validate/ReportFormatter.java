package io.keikomon.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keikomon.config.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The two output formats of validate: lines for people, a stable JSON document for scripts. */
public final class ReportFormatter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportFormatter() {}

  /** One line per problem ({@code file:line:col: path: message (hint: ...)}), then one per check. */
  public static List<String> text(ValidationReport report) {
    List<String> lines = new ArrayList<>();
    for (Problem p : report.problems()) {
      lines.add(p.render());
    }
    if (!report.problems().isEmpty()) {
      lines.add("");
    }
    lines.add("checks:");
    for (CheckResult c : report.checks()) {
      String status = c.status().name().toLowerCase(Locale.ROOT);
      lines.add(String.format("  %-8s %s%s", status, c.name(), c.detail().isEmpty() ? "" : " (" + c.detail() + ")"));
    }
    lines.add((report.valid() ? "valid" : "invalid") + ": " + plural(report.errors(), "error") + ", "
        + plural(report.warnings(), "warning"));
    return lines;
  }

  /**
   * {@code {"valid", "errors", "warnings", "problems": [{severity, file, line, column, path, message, hint}],
   * "checks": [{name, status, detail}]}}; line and column are 0 when the problem concerns the whole file.
   */
  public static String json(ValidationReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("valid", report.valid());
    root.put("errors", report.errors());
    root.put("warnings", report.warnings());
    ArrayNode problems = root.putArray("problems");
    for (Problem p : report.problems()) {
      ObjectNode n = problems.addObject();
      n.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
      n.put("file", p.file());
      n.put("line", p.line());
      n.put("column", p.column());
      n.put("path", p.path() == null ? "" : p.path());
      n.put("message", p.message());
      n.put("hint", p.hint() == null ? "" : p.hint());
    }
    ArrayNode checks = root.putArray("checks");
    for (CheckResult c : report.checks()) {
      ObjectNode n = checks.addObject();
      n.put("name", c.name());
      n.put("status", c.status().name().toLowerCase(Locale.ROOT));
      n.put("detail", c.detail());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
