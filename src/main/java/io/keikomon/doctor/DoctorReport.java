package io.keikomon.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Doctor's findings as the command prints them: text for people, JSON for scripts. */
public record DoctorReport(List<Finding> findings) {
  public DoctorReport {
    findings = List.copyOf(findings);
  }

  /** No finding failed. */
  public boolean ok() {
    return findings.stream().noneMatch(f -> f.severity() == Severity.FAIL);
  }

  /** One line per finding; a failing or warning one adds its evidence, cause and fix indented below it. */
  public List<String> text() {
    List<String> lines = new ArrayList<>();
    for (Finding f : findings) {
      lines.add(String.format("%-4s %-8s %s", f.severity().word(), f.symptom().word(), f.check()));
      if (f.severity() != Severity.OK) {
        lines.add("     evidence: " + f.evidence());
        lines.add("     cause:    " + f.cause());
        lines.add("     fix:      " + f.fix());
      }
    }
    long failed = findings.stream().filter(f -> f.severity() == Severity.FAIL).count();
    lines.add(failed == 0 ? "doctor: no failing check (" + findings.size() + " checked)"
        : "doctor: " + failed + " failing of " + findings.size() + " checked");
    return lines;
  }

  public String json() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("ok", ok());
    ArrayNode list = root.putArray("findings");
    for (Finding f : findings) {
      list.addObject().put("symptom", f.symptom().word()).put("severity", f.severity().word())
          .put("check", f.check()).put("evidence", f.evidence()).put("cause", f.cause()).put("fix", f.fix());
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("doctor report as JSON", e);
    }
  }
}
