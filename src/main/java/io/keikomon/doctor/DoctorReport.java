package io.keikomon.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Doctor's findings as the command prints them, most causal first: the findings no other finding explains, errors
 * before warnings before info (chain order within each), each followed by the consequences it explains.
 */
public record DoctorReport(List<Finding> findings) {
  public DoctorReport {
    findings = ordered(findings);
  }

  /** No error finding. */
  public boolean ok() {
    return findings.stream().noneMatch(Finding::isError);
  }

  public List<Finding> errors() {
    return findings.stream().filter(Finding::isError).toList();
  }

  /** The first finding (the most causal one), or null when there is none. */
  public Finding first() {
    return findings.isEmpty() ? null : findings.get(0);
  }

  private static List<Finding> ordered(List<Finding> in) {
    Map<String, Finding> byId = new LinkedHashMap<>();
    in.forEach(f -> byId.putIfAbsent(f.id(), f));
    Set<String> explained = new HashSet<>();
    in.forEach(f -> explained.addAll(f.explains()));
    Map<Finding, Integer> order = new HashMap<>();
    for (int i = 0; i < in.size(); i++) {
      order.putIfAbsent(in.get(i), i);
    }
    List<Finding> roots = new ArrayList<>(in.stream().filter(f -> !explained.contains(f.id())).toList());
    roots.sort(Comparator.comparing(Finding::severity).thenComparing(order::get));
    List<Finding> out = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    for (Finding r : roots) {
      place(r, byId, out, placed);
    }
    in.stream().filter(f -> !placed.contains(f.id())).forEach(f -> place(f, byId, out, placed)); // cycles
    return List.copyOf(out);
  }

  private static void place(Finding f, Map<String, Finding> byId, List<Finding> out, Set<String> placed) {
    if (!placed.add(f.id())) {
      return;
    }
    out.add(f);
    for (String id : f.explains()) {
      Finding c = byId.get(id);
      if (c != null) {
        place(c, byId, out, placed);
      }
    }
  }

  /**
   * One line per finding; an error or warning adds its evidence, cause and remedy indented below it. A consequence
   * is one line under its cause ("explained by the above").
   */
  public List<String> text() {
    Set<String> explained = new HashSet<>();
    findings.forEach(f -> explained.addAll(f.explains()));
    List<String> lines = new ArrayList<>();
    for (Finding f : findings) {
      if (explained.contains(f.id())) {
        lines.add("        ↳ " + f.check() + (f.cause().isEmpty() ? "" : ": " + f.cause())
            + " (a consequence of the above)");
        continue;
      }
      lines.add(String.format("%-7s %-8s %s", f.severity().word(), f.symptom().word(), f.check()));
      if (f.severity() != Severity.INFO) {
        lines.add("        evidence: " + f.evidence());
        lines.add("        cause:    " + f.cause());
        lines.add("        remedy:   " + f.remedy());
      }
    }
    long errors = findings.stream().filter(Finding::isError).count();
    long warnings = findings.stream().filter(f -> f.severity() == Severity.WARNING).count();
    lines.add(errors == 0 ? "doctor: no error (" + count(warnings, "warning") + ", " + count(findings.size(), "finding") + ")"
        : "doctor: " + count(errors, "error") + ", " + count(warnings, "warning") + " of "
            + count(findings.size(), "finding"));
    return lines;
  }

  /** {@code {"ok", "findings": [{"id", "severity", "component", "cause", "evidence", "remedy", "explains"}]}}. */
  public String json() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("ok", ok());
    ArrayNode list = root.putArray("findings");
    for (Finding f : findings) {
      ObjectNode n = list.addObject().put("id", f.id()).put("severity", f.severity().word())
          .put("component", f.component()).put("symptom", f.symptom().word()).put("check", f.check())
          .put("cause", f.cause()).put("evidence", f.evidence()).put("remedy", f.remedy());
      ArrayNode ex = n.putArray("explains");
      f.explains().forEach(ex::add);
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("doctor report as JSON", e);
    }
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
