package io.keikomon.doctor;

import java.util.List;
import java.util.Locale;

/**
 * One conclusion of doctor.
 *
 * @param id stable name of the finding, e.g. "target-backend-backend-8000"; {@code explains} refers to these
 * @param symptom the chain it belongs to
 * @param component the stack service or part it is about (prometheus, backend, postgres-exporter, grafana, ...)
 * @param check what was checked, e.g. "target backend 10.0.0.5:8000"
 * @param evidence the raw error or value it is based on
 * @param cause one sentence naming the exact thing (empty for INFO)
 * @param remedy what to change: keiko.yml key and value, a command, or a service to start (empty for INFO)
 * @param explains ids of findings that are consequences of this one (said once, under their cause)
 */
public record Finding(String id, Symptom symptom, Severity severity, String component, String check,
    String evidence, String cause, String remedy, List<String> explains) {
  public Finding {
    explains = List.copyOf(explains);
  }

  public static Finding ok(Symptom symptom, String component, String check, String evidence) {
    return new Finding(id(check), symptom, Severity.INFO, component, check, evidence, "", "", List.of());
  }

  public static Finding error(Symptom symptom, String component, String check, String evidence, String cause,
      String remedy) {
    return new Finding(id(check), symptom, Severity.ERROR, component, check, evidence, cause, remedy, List.of());
  }

  public static Finding warning(Symptom symptom, String component, String check, String evidence, String cause,
      String remedy) {
    return new Finding(id(check), symptom, Severity.WARNING, component, check, evidence, cause, remedy, List.of());
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The same finding with {@code more} ids added to {@link #explains}. */
  public Finding explaining(List<String> more) {
    List<String> all = new java.util.ArrayList<>(explains);
    more.stream().filter(m -> !all.contains(m) && !m.equals(id)).forEach(all::add);
    return new Finding(id, symptom, severity, component, check, evidence, cause, remedy, all);
  }

  public Finding withId(String newId) {
    return new Finding(newId, symptom, severity, component, check, evidence, cause, remedy, explains);
  }

  /** "target backend 10.0.0.5:8000" gives "target-backend-10-0-0-5-8000". */
  static String id(String check) {
    String s = check.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    return s.length() > 80 ? s.substring(0, 80) : s;
  }
}
